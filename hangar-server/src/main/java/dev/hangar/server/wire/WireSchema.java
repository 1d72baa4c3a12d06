package dev.hangar.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shape of a wire type's JSON, checked whole before anything of it is read or recorded: each field's JSON type,
 * its length (within what the database keeps), its characters and its range. A body that does not fit is refused
 * with 400 {@value #INVALID}, naming the field's path in {@code target}. Fields a schema does not name are let through
 * (Azure's clients send back what a GET showed); {@code null} stands for a field left out, unless it is required.
 *
 * <p>One closed family: text, numbers (as some clients send them, text included), flags, objects, lists and maps.
 */
public sealed interface WireSchema {
    String INVALID = ErrorCodes.INVALID_BODY;

    /** Adds to {@code problems} what is wrong with {@code node} (never null, never missing) at {@code path}. */
    void check(JsonNode node, String path, List<String> problems);

    /** Refuses {@code body} with 400 naming its first misfit, or returns it. */
    default JsonNode validate(JsonNode body) {
        var problems = new ArrayList<String>();
        if (body == null || body.isMissingNode()) {
            throw ApiException.badRequest(ErrorCodes.MISSING_BODY, "The request needs a JSON body.", null);
        }
        check(body, "", problems);
        if (!problems.isEmpty()) {
            var first = problems.getFirst();
            var target = first.substring(0, first.indexOf(": "));
            problems.replaceAll(problem -> problem.startsWith(": ") ? "the body" + problem : problem);
            throw ApiException.badRequest(INVALID, String.join("; ", problems.subList(0, Math.min(5,
                    problems.size()))) + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more." : "."),
                    target.isEmpty() ? null : target);
        }
        return body;
    }

    static Text text(int max, Characters characters) {
        return new Text(0, max, characters, null, null);
    }

    static Text text(int min, int max, Characters characters) {
        return new Text(min, max, characters, null, null);
    }

    static Flag flag() {
        return new Flag();
    }

    /** A number, or a short text a service reads as one (some clients send counts as strings), with its own rules. */
    static Scalar scalar() {
        return new Scalar();
    }

    static Obj object() {
        return new Obj(Map.of(), Set.of());
    }

    static ListOf list(WireSchema element, int max) {
        return new ListOf(element, max);
    }

    static MapOf map(Text key, WireSchema value, int max) {
        return new MapOf(key, value, max);
    }

    /** What characters a text may hold, beyond its length. */
    enum Characters {
        /** Free text (descriptions, commands): anything printable, tabs and line breaks; no NUL nor other controls. */
        FREE,
        /**
         * A name or an identifier shown to people: no controls, no line breaks, no bidirectional overrides or
         * isolates (which make a name read as another), not {@code .} or {@code ..}.
         */
        NAME;

        /** Why {@code text} breaks the rule, or null. */
        String problem(String text) {
            for (int i = 0; i < text.length(); i++) {
                var c = text.charAt(i);
                if (c == 0) {
                    return "holds a NUL character";
                }
                var control = Character.getType(c) == Character.CONTROL;
                if (this == FREE && control && c != '\t' && c != '\n' && c != '\r') {
                    return "holds the control character U+" + String.format("%04X", (int) c);
                }
                if (this == NAME && (control || BIDI.contains(c))) {
                    return "holds the " + (control ? "control" : "bidirectional formatting") + " character U+"
                            + String.format("%04X", (int) c);
                }
            }
            if (this == NAME && (text.equals(".") || text.equals(".."))) {
                return "is '" + text + "'";
            }
            return null;
        }

        private static final Set<Character> BIDI = Set.of('\u200e', '\u200f', '\u202a', '\u202b', '\u202c',
                '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u061c');
    }

    /**
     * A JSON string of {@code min} to {@code max} characters of the kind named, matching {@code pattern} if given,
     * which {@code rule} puts in words.
     */
    record Text(int min, int max, Characters characters, Pattern pattern, String rule) implements WireSchema {
        /** The same, matching {@code regex} too, which {@code rule} puts in words. */
        public Text matching(String regex, String rule) {
            return new Text(min, max, characters, Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS), rule);
        }

        @Override
        public void check(JsonNode node, String path, List<String> problems) {
            if (!node.isTextual()) {
                problems.add(path + ": must be a string, not " + kind(node));
                return;
            }
            var text = node.asText();
            if (text.length() < min || text.length() > max) {
                problems.add(path + ": must be " + (min == 0 ? "at most " + max : min + " to " + max)
                        + " characters long, not " + text.length());
                return;
            }
            var problem = characters.problem(text);
            if (problem != null) {
                problems.add(path + ": " + problem);
            } else if (pattern != null && !pattern.matcher(text).matches()) {
                problems.add(path + ": '" + shown(text) + "' is not " + rule);
            }
        }
    }

    /** A JSON number or a string of at most 64 characters: no object, list, or text that is not a short token. */
    record Scalar() implements WireSchema {
        @Override
        public void check(JsonNode node, String path, List<String> problems) {
            if (node.isNumber()) {
                return;
            }
            if (!node.isTextual()) {
                problems.add(path + ": must be a number, not " + kind(node));
            } else if (node.asText().length() > 64 || Characters.NAME.problem(node.asText()) != null) {
                problems.add(path + ": must be a number, not '" + shown(node.asText()) + "'");
            }
        }
    }

    /** A JSON boolean. */
    record Flag() implements WireSchema {
        @Override
        public void check(JsonNode node, String path, List<String> problems) {
            if (!node.isBoolean()) {
                problems.add(path + ": must be true or false, not " + kind(node));
            }
        }
    }

    /** A JSON object whose named fields have their schemas; {@code required} ones may be neither missing nor null. */
    record Obj(Map<String, WireSchema> fields, Set<String> required) implements WireSchema {
        public Obj field(String name, WireSchema schema) {
            var more = new LinkedHashMap<>(fields);
            more.put(name, schema);
            return new Obj(more, required);
        }

        public Obj required(String name, WireSchema schema) {
            var names = new java.util.HashSet<>(required);
            names.add(name);
            return new Obj(field(name, schema).fields(), names);
        }

        @Override
        public void check(JsonNode node, String path, List<String> problems) {
            if (!node.isObject()) {
                problems.add(path + ": must be an object, not " + kind(node));
                return;
            }
            fields.forEach((name, schema) -> {
                var value = node.get(name);
                var at = path.isEmpty() ? name : path + "." + name;
                if (value == null || value.isNull()) {
                    if (required.contains(name)) {
                        problems.add(at + ": is required");
                    }
                } else {
                    schema.check(value, at, problems);
                }
            });
        }
    }

    /** A JSON array of at most {@code max} elements, none null. */
    record ListOf(WireSchema element, int max) implements WireSchema {
        @Override
        public void check(JsonNode node, String path, List<String> problems) {
            if (!node.isArray()) {
                problems.add(path + ": must be a list, not " + kind(node));
                return;
            }
            if (node.size() > max) {
                problems.add(path + ": may hold at most " + max + " elements, not " + node.size());
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                var value = node.get(i);
                if (value.isNull()) {
                    problems.add(path + "[" + i + "]: must not be null");
                } else {
                    element.check(value, path + "[" + i + "]", problems);
                }
            }
        }
    }

    /** A JSON object used as a map: at most {@code max} entries, each key a {@code key}, each value a {@code value}. */
    record MapOf(Text key, WireSchema value, int max) implements WireSchema {
        @Override
        public void check(JsonNode node, String path, List<String> problems) {
            if (!node.isObject()) {
                problems.add(path + ": must be an object, not " + kind(node));
                return;
            }
            if (node.size() > max) {
                problems.add(path + ": may hold at most " + max + " entries, not " + node.size());
                return;
            }
            node.properties().forEach(entry -> {
                var at = path + "." + entry.getKey();
                key.check(com.fasterxml.jackson.databind.node.TextNode.valueOf(entry.getKey()), path + " key '"
                        + shown(entry.getKey()) + "'", problems);
                if (entry.getValue().isNull()) {
                    problems.add(at + ": must not be null");
                } else {
                    value.check(entry.getValue(), at, problems);
                }
            });
        }
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String shown(String key) {
        var printable = key.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }
}
