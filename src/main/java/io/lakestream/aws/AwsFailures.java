package io.lakestream.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What went wrong in an AWS call, in the operator's terms: missing or rejected credentials, missing permission,
 * no answer, no connection. Shared by the registry, store and catalog probes so that the same cause reads the
 * same everywhere.
 */
public final class AwsFailures {

    /** Bound of each AWS call a probe makes itself (retries included). */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    /** Error codes AWS answers when the credentials themselves are bad, as opposed to lacking a permission. */
    private static final Set<String> BAD_CREDENTIALS = Set.of("UnrecognizedClientException", "InvalidClientTokenId",
            "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "InvalidToken");

    public enum Kind { NO_CREDENTIALS, CREDENTIALS_REJECTED, ACCESS_DENIED, TIMEOUT, UNREACHABLE, OTHER }

    private AwsFailures() {
    }

    /** Classifies the first AWS SDK exception in {@code e}'s cause chain. */
    public static Kind kind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException service) {
                String code = errorCode(service);
                if (BAD_CREDENTIALS.contains(code)) {
                    return Kind.CREDENTIALS_REJECTED;
                }
                return service.statusCode() == 403 || "AccessDeniedException".equals(code) ? Kind.ACCESS_DENIED
                        : Kind.OTHER;
            }
            if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
                return Kind.TIMEOUT;
            }
            if (t instanceof SdkClientException client) {
                // The default chain's message when no provider has credentials; there is no dedicated type.
                return String.valueOf(client.getMessage()).contains("Unable to load credentials")
                        ? Kind.NO_CREDENTIALS : Kind.UNREACHABLE;
            }
        }
        return Kind.OTHER;
    }

    /**
     * The reason for a failed call, e.g. {@code access denied (AccessDeniedException)}.
     *
     * @param where the service and place called, e.g. {@code Glue at http://127.0.0.1:5000}
     */
    public static String reason(Throwable e, String where) {
        Kind kind = kind(e);
        return switch (kind) {
            case NO_CREDENTIALS -> "no AWS credentials found";
            case CREDENTIALS_REJECTED -> "AWS rejected the credentials (" + code(e) + ")";
            case ACCESS_DENIED -> "access denied (" + code(e) + ")";
            case TIMEOUT -> "no answer from " + where + " within " + CALL_TIMEOUT.toSeconds() + " s";
            case UNREACHABLE -> "cannot reach " + where + ": " + e.getMessage();
            case OTHER -> where + " answered: " + e.getMessage();
        };
    }

    /**
     * What to do about it.
     *
     * @param configPrefix the config section whose endpoint and region are in use, e.g. {@code registry}
     * @param permissions  the IAM actions the call needs, e.g. {@code glue:GetRegistry}
     */
    public static String hint(Throwable e, String configPrefix, String permissions) {
        return switch (kind(e)) {
            case NO_CREDENTIALS -> "give lakestream AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                    + " AWS_PROFILE, or the ECS task role / EC2 instance profile";
            case CREDENTIALS_REJECTED -> "the AWS credentials in use are invalid or expired (session tokens expire):"
                    + " renew them";
            case ACCESS_DENIED -> "grant the principal in use " + permissions;
            case TIMEOUT, UNREACHABLE -> "check " + configPrefix + ".endpoint, " + configPrefix
                    + ".region and the network (proxy, firewall)";
            case OTHER -> null;
        };
    }

    /** True when {@code e} or a cause is S3's answer that the bucket does not exist. */
    public static boolean isMissingBucket(Throwable e) {
        return "NoSuchBucket".equals(code(e));
    }

    /** Where calls go: the endpoint override, or the AWS endpoint of the region. */
    public static String where(String service, String region, URI endpoint) {
        return service + " at " + (endpoint != null ? endpoint : "AWS " + region);
    }

    private static String code(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException service) {
                return errorCode(service);
            }
        }
        return "no error code";
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
