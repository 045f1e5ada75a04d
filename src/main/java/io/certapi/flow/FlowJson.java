package io.certapi.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.certapi.core.Identifier;
import io.certapi.core.ProblemType;
import io.certapi.validation.ValidationRecord;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * JSON held in database columns: identifier lists, contacts, stored problem documents,
 * validation records. The records it maps are registered for reflection for native images.
 */
@RegisterForReflection(targets = {Identifier.class, ValidationRecord.class})
final class FlowJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FlowJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass(), e);
        }
    }

    static List<Identifier> identifiers(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<List<Identifier>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt identifiers column", e);
        }
    }

    static List<String> strings(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt string list column", e);
        }
    }

    /** A problem document (RFC 7807) as stored with a challenge or order. */
    static String problem(ProblemType type, String detail) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", type.urn());
        node.put("detail", detail);
        node.put("status", type.httpStatus());
        return node.toString();
    }
}
