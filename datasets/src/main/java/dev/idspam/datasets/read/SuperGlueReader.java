package dev.idspam.datasets.read;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.datasets.task.TaskFormat;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads SuperGLUE JSON-lines files: one strict JSON object per line. How fields become text
 * segments is described in the package documentation. One line may yield several examples (COPA:
 * two, MultiRC: one per answer option); if any part of a line is bad, the whole line is rejected,
 * so {@link ReadResult#skippedRows()} counts lines.
 */
final class SuperGlueReader {

    private SuperGlueReader() {
    }

    static ReadResult read(Task task, Split split, Path file, String source, ReadOptions options)
            throws IOException {
        if (task.format() != TaskFormat.SUPERGLUE_JSONL) {
            throw new IllegalArgumentException("task " + task.shortName() + " is not a SuperGLUE task");
        }
        BadRows bad = new BadRows(options);
        List<Example> examples = new ArrayList<>();
        int blank = 0;
        try (Utf8Lines lines = new Utf8Lines(file, source)) {
            long ordinal = 0;
            while (true) {
                String line;
                try {
                    line = lines.next();
                } catch (DatasetFormatException badEncoding) {
                    ordinal++;
                    bad.reject(badEncoding);
                    continue;
                }
                if (line == null) {
                    break;
                }
                if (line.isBlank()) {
                    blank++;
                    continue;
                }
                Row row = new Row(source, lines.number());
                try {
                    JsonObject object = row.parse(line);
                    String id = row.optionalId(object, split.label() + "-" + ordinal);
                    examples.addAll(convert(task, row, object, id));
                } catch (DatasetFormatException e) {
                    bad.reject(e);
                }
                ordinal++;
            }
        }
        return bad.result(source, examples, blank);
    }

    private static List<Example> convert(Task task, Row row, JsonObject o, String id) {
        if (task.equals(Task.CB)) {
            return List.of(Example.classification(id, row.text(o, "premise", "premise"),
                    row.text(o, "hypothesis", "hypothesis"), row.label(task, o, "label", "label")));
        }
        if (task.equals(Task.BOOLQ)) {
            return List.of(Example.classification(id, row.text(o, "question", "question"),
                    row.text(o, "passage", "passage"), row.label(task, o, "label", "label")));
        }
        if (task.equals(Task.WIC)) {
            return List.of(Example.classification(id,
                    row.text(o, "word", "word") + ": " + row.text(o, "sentence1", "sentence1"),
                    row.text(o, "sentence2", "sentence2"), row.label(task, o, "label", "label")));
        }
        if (task.equals(Task.COPA)) {
            return copa(task, row, o, id);
        }
        if (task.equals(Task.MULTIRC)) {
            return multiRc(task, row, o, id);
        }
        throw new IllegalArgumentException("no JSON-lines mapping for task " + task.shortName());
    }

    /** Two examples per question: (premise + connective, choice_k), label 1 for the correct one. */
    private static List<Example> copa(Task task, Row row, JsonObject o, String id) {
        String premise = row.text(o, "premise", "premise");
        String question = row.string(o, "question", "question");
        String connective;
        if (question.equals("cause")) {
            connective = "because";
        } else if (question.equals("effect")) {
            connective = "so";
        } else {
            throw row.error("question", "question '" + question + "' is not one of [cause, effect]");
        }
        String choice1 = row.text(o, "choice1", "choice1");
        String choice2 = row.text(o, "choice2", "choice2");
        int correct = row.label(task, o, "label", "label");
        String a = premise + " " + connective;
        return List.of(
                Example.grouped(id + "-choice1", a, choice1, correct == 0 ? 1 : 0, id),
                Example.grouped(id + "-choice2", a, choice2, correct == 1 ? 1 : 0, id));
    }

    /** One example per answer option: (paragraph, question + " " + answer), grouped by question. */
    private static List<Example> multiRc(Task task, Row row, JsonObject o, String id) {
        JsonObject passage = row.object(o, "passage", "passage");
        String paragraph = row.text(passage, "text", "passage.text");
        JsonArray questions = row.array(passage, "questions", "passage.questions");
        List<Example> out = new ArrayList<>();
        for (int q = 0; q < questions.size(); q++) {
            String qPath = "passage.questions[" + q + "]";
            JsonObject question = row.element(questions.get(q), qPath);
            String questionText = row.text(question, "question", qPath + ".question");
            String group = id + "-q" + row.optionalId(question, Integer.toString(q));
            JsonArray answers = row.array(question, "answers", qPath + ".answers");
            for (int a = 0; a < answers.size(); a++) {
                String aPath = qPath + ".answers[" + a + "]";
                JsonObject answer = row.element(answers.get(a), aPath);
                String answerText = row.string(answer, "text", aPath + ".text");
                int label = row.label(task, answer, "label", aPath + ".label");
                String answerId = group + "-a" + row.optionalId(answer, Integer.toString(a));
                out.add(Example.grouped(answerId, paragraph, questionText + " " + answerText, label, group));
            }
        }
        return out;
    }

    /** Field access for one line, producing errors that name the file, the line and the field path. */
    private static final class Row {
        private static final Pattern COLUMN = Pattern.compile("line \\d+ column (\\d+)");
        private final String source;
        private final long number;

        Row(String source, long number) {
            this.source = source;
            this.number = number;
        }

        DatasetFormatException error(String field, String detail) {
            return new DatasetFormatException(source, number, field, detail);
        }

        JsonObject parse(String line) {
            JsonElement parsed;
            try {
                JsonReader reader = new JsonReader(new StringReader(line));
                reader.setStrictness(Strictness.STRICT);
                parsed = JsonParser.parseReader(reader);
                if (reader.peek() != JsonToken.END_DOCUMENT) {
                    throw error("json", "not valid JSON: extra content after the object");
                }
            } catch (JsonParseException | IOException | IllegalStateException e) {
                throw error("json", jsonProblem(e.getMessage()));
            }
            if (!parsed.isJsonObject()) {
                throw error("json", "expected a JSON object but found " + abbreviate(parsed));
            }
            return parsed.getAsJsonObject();
        }

        /** Where the parser stopped, in the parser's numbers but the reader's words (no parser class names). */
        private static String jsonProblem(String parserMessage) {
            if (parserMessage == null) {
                return "not valid JSON";
            }
            Matcher m = COLUMN.matcher(parserMessage);
            String column = m.find() ? m.group(1) : null;
            if (parserMessage.contains("End of input")) {
                return "not valid JSON: the line ends before the object does" + (column == null ? "" : " (column " + column + ")");
            }
            return "not valid JSON" + (column == null ? "" : " at column " + column);
        }

        JsonElement field(JsonObject o, String name, String path) {
            JsonElement value = o.get(name);
            if (value == null || value.isJsonNull()) {
                throw error(path, "field '" + path + "' is missing");
            }
            return value;
        }

        String string(JsonObject o, String name, String path) {
            JsonElement value = field(o, name, path);
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw error(path, "field '" + path + "' must be a string but was " + abbreviate(value));
            }
            return value.getAsString();
        }

        /**
         * A string that becomes (part of) a text segment, so must hold more than blanks. MultiRC
         * answers are read with {@link #string}: a few real answers are empty, and the segment
         * they join (question + answer) is not.
         */
        String text(JsonObject o, String name, String path) {
            String value = string(o, name, path);
            if (value.isBlank()) {
                throw error(path, "field '" + path + "' is empty");
            }
            return value;
        }

        JsonObject object(JsonObject o, String name, String path) {
            return element(field(o, name, path), path);
        }

        JsonObject element(JsonElement value, String path) {
            if (!value.isJsonObject()) {
                throw error(path, "field '" + path + "' must be an object but was " + abbreviate(value));
            }
            return value.getAsJsonObject();
        }

        JsonArray array(JsonObject o, String name, String path) {
            JsonElement value = field(o, name, path);
            if (!value.isJsonArray()) {
                throw error(path, "field '" + path + "' must be an array but was " + abbreviate(value));
            }
            return value.getAsJsonArray();
        }

        /** The label as written (string, boolean or integer), looked up in the task's label list. */
        int label(Task task, JsonObject o, String name, String path) {
            JsonElement value = field(o, name, path);
            if (!value.isJsonPrimitive()) {
                throw error(path, "field '" + path + "' must be a string, boolean or number but was "
                        + abbreviate(value));
            }
            JsonPrimitive p = value.getAsJsonPrimitive();
            String text = p.getAsString();
            int index = task.labelIndex(text);
            if (index < 0) {
                throw error(path, path + " '" + text + "' is not one of " + task.labels());
            }
            return index;
        }

        /** The {@code idx} field as text, or {@code fallback} when absent. */
        String optionalId(JsonObject o, String fallback) {
            JsonElement idx = o.get("idx");
            if (idx == null || idx.isJsonNull()) {
                return fallback;
            }
            if (!idx.isJsonPrimitive()) {
                throw error("idx", "field 'idx' must be a number or string but was " + abbreviate(idx));
            }
            String text = idx.getAsString().strip();
            if (text.isEmpty()) {
                throw error("idx", "field 'idx' is empty");
            }
            return text;
        }

        private static String abbreviate(JsonElement value) {
            String text = value.toString();
            return text.length() > 60 ? text.substring(0, 57) + "..." : text;
        }
    }
}
