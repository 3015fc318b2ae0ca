package io.lakestream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The IAM action each AWS request needs, from a request as moto's recorder saved it (method, URL, headers): the
 * actions a run really used, to compare with what the ECS task role grants. S3 requests are path-style (every
 * lakestream client talks path-style to an emulator); Glue and the Glue Schema Registry name their operation in
 * {@code X-Amz-Target}. Follows the S3 and Glue pages of the IAM Service Authorization Reference: multipart steps
 * are {@code s3:PutObject}, HEAD is {@code s3:GetObject} (object) or {@code s3:ListBucket} (bucket).
 */
final class IamActions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SERVICE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([a-z0-9-]+)/aws4_request");

    /** One request: the action it needs and the S3 object key it touched (empty for buckets and Glue). */
    record Use(String action, String bucket, String key) {
    }

    private IamActions() {
    }

    /** The actions of recorded requests, one JSON object each. */
    static Set<String> actions(Iterable<String> recording) {
        Set<String> actions = new TreeSet<>();
        recording.forEach(r -> actions.add(use(r).action()));
        return actions;
    }

    static Use use(String recordedRequest) {
        try {
            JsonNode request = JSON.readTree(recordedRequest);
            JsonNode headers = request.path("headers");
            String target = header(headers, "X-Amz-Target");
            if (target != null && target.startsWith("AWSGlue.")) {
                return new Use("glue:" + target.substring("AWSGlue.".length()), "", "");
            }
            String authorization = header(headers, "Authorization");
            Matcher service = SERVICE.matcher(authorization == null ? "" : authorization);
            if (!service.find() || !service.group(1).equals("s3")) {
                throw new IllegalArgumentException("not an S3 or Glue request: " + recordedRequest);
            }
            return s3(request.path("method").asText(), URI.create(request.path("url").asText()));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a recorded request: " + recordedRequest, e);
        }
    }

    private static Use s3(String method, URI url) {
        String path = url.getRawPath().replaceFirst("^/", "");
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        String key = slash < 0 ? "" : URLDecoder.decode(path.substring(slash + 1), StandardCharsets.UTF_8);
        Set<String> query = url.getRawQuery() == null ? Set.of() : Arrays.stream(url.getRawQuery().split("&"))
                .map(p -> p.split("=", 2)[0]).collect(Collectors.toSet());
        String action;
        if (key.isEmpty()) {
            action = switch (method) {
                case "PUT" -> "s3:CreateBucket";
                case "POST" -> query.contains("delete") ? "s3:DeleteObject" : "s3:PutObject";
                case "GET" -> query.contains("uploads") ? "s3:ListBucketMultipartUploads" : "s3:ListBucket";
                case "HEAD" -> "s3:ListBucket";
                default -> throw new IllegalArgumentException("unexpected bucket request " + method + " " + url);
            };
        } else if (query.contains("uploadId")) {
            action = switch (method) {
                case "PUT", "POST" -> "s3:PutObject";
                case "DELETE" -> "s3:AbortMultipartUpload";
                case "GET" -> "s3:ListMultipartUploadParts";
                default -> throw new IllegalArgumentException("unexpected multipart request " + method + " " + url);
            };
        } else {
            action = switch (method) {
                case "PUT", "POST" -> "s3:PutObject";
                case "GET", "HEAD" -> "s3:GetObject";
                case "DELETE" -> "s3:DeleteObject";
                default -> throw new IllegalArgumentException("unexpected object request " + method + " " + url);
            };
        }
        return new Use(action, bucket, key);
    }

    private static String header(JsonNode headers, String name) {
        for (var it = headers.properties().iterator(); it.hasNext(); ) {
            var h = it.next();
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue().asText();
            }
        }
        return null;
    }
}
