package dev.idspam.datasets.read;

import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads one split folder of the Large Movie Review Dataset ({@code aclImdb/train} or
 * {@code aclImdb/test}): every {@code neg/*.txt} (label 0) and then every {@code pos/*.txt}
 * (label 1), each folder in file-name order. The HTML line breaks in the reviews ({@code <br />})
 * become spaces. The {@code unsup} folder is not read.
 */
final class ImdbReader {

    private static final List<String> LABEL_FOLDERS = List.of("neg", "pos");
    private static final Pattern LINE_BREAK = Pattern.compile("<br\\s*/?>");

    private ImdbReader() {
    }

    static ReadResult read(Task task, Split split, Path splitDir, String source, ReadOptions options)
            throws IOException {
        if (task != Task.IMDB) {
            throw new IllegalArgumentException("task " + task.shortName() + " is not IMDB");
        }
        BadRows bad = new BadRows(options);
        List<Example> examples = new ArrayList<>();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int label = 0; label < LABEL_FOLDERS.size(); label++) {
            String folder = LABEL_FOLDERS.get(label);
            Path dir = splitDir.resolve(folder);
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir.toString(), null,
                        "an IMDB split folder must contain neg/ and pos/ folders of .txt reviews");
            }
            List<Path> files;
            try (Stream<Path> listing = Files.list(dir)) {
                files = listing.filter(p -> p.getFileName().toString().endsWith(".txt"))
                        .sorted().collect(Collectors.toList());
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                String shown = source + "/" + folder + "/" + name;
                String text;
                try {
                    text = decoder.reset().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
                } catch (CharacterCodingException e) {
                    bad.reject(new DatasetFormatException(shown, 0, "encoding",
                            "not valid UTF-8 (" + e.getMessage() + ")"));
                    continue;
                }
                text = LINE_BREAK.matcher(text).replaceAll(" ").strip();
                if (text.isEmpty()) {
                    bad.reject(new DatasetFormatException(shown, 0, "review", "the review is empty"));
                    continue;
                }
                String id = split.label() + "/" + folder + "/" + name.substring(0, name.length() - 4);
                examples.add(Example.classification(id, text, null, label));
            }
        }
        return bad.result(source, examples, 0);
    }
}
