package io.lakestream.check;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.glue.model.AccessDeniedException;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GlueException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** AWS SDK exceptions shaped as the SDK builds them from real error responses (status and error code set). */
public final class AwsErrors {

    private AwsErrors() {
    }

    public static AccessDeniedException glueAccessDenied() {
        return (AccessDeniedException) AccessDeniedException.builder().statusCode(400)
                .awsErrorDetails(details("AccessDeniedException")).message("not allowed").build();
    }

    static EntityNotFoundException glueNotFound() {
        return (EntityNotFoundException) EntityNotFoundException.builder().statusCode(400)
                .awsErrorDetails(details("EntityNotFoundException")).message("not found").build();
    }

    public static GlueException glueError(int status, String code) {
        return (GlueException) GlueException.builder().statusCode(status).awsErrorDetails(details(code))
                .message(code).build();
    }

    public static S3Exception s3Error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status).awsErrorDetails(details(code)).message(code)
                .build();
    }

    private static AwsErrorDetails details(String code) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(code).build();
    }
}
