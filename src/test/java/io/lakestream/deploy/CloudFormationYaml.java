package io.lakestream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Reads a CloudFormation template written with short-form tags ({@code !Ref}, {@code !Sub},
 * {@code !If}, {@code !GetAtt}, ...) into the long form CloudFormation itself sees
 * ({@code {"Ref": x}}, {@code {"Fn::Sub": x}}, ...), and navigates it the way the deployment checks
 * need: through {@code Fn::If} branches, to containers, policies, statements.
 */
final class CloudFormationYaml {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CloudFormationYaml() {
    }

    /** YAML with CloudFormation short-form tags, each turned into its long form. */
    static JsonNode read(Path file) throws IOException {
        try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
            parser.nextToken();
            return readTagged(parser);
        }
    }

    private static JsonNode readTagged(JsonParser p) throws IOException {
        Object typeId = p.getTypeId(); // read before moving on: it belongs to the current event
        String tag = typeId == null ? null : typeId.toString();
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode node = switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    o.set(field, readTagged(p));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(readTagged(p));
                }
                yield a;
            }
            case VALUE_NUMBER_INT -> f.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> f.numberNode(p.getDecimalValue());
            case VALUE_TRUE, VALUE_FALSE -> f.booleanNode(p.getBooleanValue());
            case VALUE_NULL -> f.nullNode();
            default -> f.textNode(p.getText());
        };
        if (tag == null || tag.startsWith("tag:yaml.org")) {
            return node;
        }
        ObjectNode longForm = f.objectNode();
        if (tag.equals("GetAtt") && node.isTextual()) {
            longForm.set("Fn::GetAtt", f.arrayNode().addAll(List.of(
                    f.textNode(node.asText().split("\\.", 2)[0]), f.textNode(node.asText().split("\\.", 2)[1]))));
        } else {
            longForm.set(tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag, node);
        }
        return longForm;
    }

    static JsonNode resource(JsonNode template, String logicalId) {
        JsonNode r = template.path("Resources").path(logicalId);
        assertThat(r.isMissingNode()).as("resource %s", logicalId).isFalse();
        return r;
    }

    /** Both branches of an {@code Fn::If}, nothing for {@code AWS::NoValue}, else the node itself. */
    static List<JsonNode> flattenIf(JsonNode node) {
        if (node.has("Fn::If")) {
            List<JsonNode> both = new ArrayList<>(flattenIf(node.get("Fn::If").get(1)));
            both.addAll(flattenIf(node.get("Fn::If").get(2)));
            return both;
        }
        if ("AWS::NoValue".equals(node.path("Ref").asText(null))) {
            return List.of();
        }
        return List.of(node);
    }

    /** Elements of a list that may itself be conditional and may hold conditional elements. */
    static List<JsonNode> items(JsonNode list) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode l : flattenIf(list)) {
            (l.isArray() ? StreamSupport.stream(l.spliterator(), false).toList() : List.of(l))
                    .forEach(e -> out.addAll(flattenIf(e)));
        }
        return out;
    }

    static List<JsonNode> containers(JsonNode template) {
        return items(resource(template, "TaskDefinition").path("Properties").path("ContainerDefinitions"));
    }

    static JsonNode container(JsonNode template, String name) {
        return containers(template).stream().filter(c -> c.path("Name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Set<String> names(JsonNode nameValueList) {
        return items(nameValueList).stream().map(e -> e.path("Name").asText()).collect(Collectors.toSet());
    }

    static JsonNode policy(JsonNode template, String role, String policyName) {
        return items(resource(template, role).path("Properties").path("Policies")).stream()
                .filter(p -> p.path("PolicyName").asText().equals(policyName)).findFirst()
                .orElseThrow(() -> new AssertionError("no policy " + policyName + " on " + role));
    }

    static List<JsonNode> statements(JsonNode template, String role) {
        List<JsonNode> out = new ArrayList<>();
        items(resource(template, role).path("Properties").path("Policies"))
                .forEach(p -> out.addAll(items(p.path("PolicyDocument").path("Statement"))));
        out.forEach(s -> assertThat(s.has("NotAction") || s.has("NotResource")).as("NotAction/NotResource in %s", s).isFalse());
        return out;
    }

    static List<String> actions(JsonNode statement) {
        return items(statement.path("Action")).stream().map(JsonNode::asText).toList();
    }

    static List<String> resources(JsonNode statement) {
        return items(statement.path("Resource")).stream().map(CloudFormationYaml::text).toList();
    }

    /** A string as written: literal, {@code Fn::Sub} template, or {@code ${Ref}}. */
    static String text(JsonNode value) {
        if (value.has("Fn::Sub")) {
            JsonNode sub = value.get("Fn::Sub");
            return sub.isArray() ? sub.get(0).asText() : sub.asText();
        }
        if (value.has("Ref")) {
            return "${" + value.get("Ref").asText() + "}";
        }
        return value.isArray() ? value.toString() : value.asText();
    }
}
