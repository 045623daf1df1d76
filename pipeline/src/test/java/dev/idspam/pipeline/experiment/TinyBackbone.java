package dev.idspam.pipeline.experiment;

import dev.idspam.graphs.backbone.BackboneConfig;
import dev.idspam.graphs.backbone.TinyByteBpe;
import dev.idspam.graphs.backbone.TinyGpt2;

import java.io.IOException;
import java.nio.file.Path;

/** The experiment tests' backbone: a random 3-block GPT-2 (n = 16, 4 heads) with its byte-level tokenizer. */
final class TinyBackbone {
    private static final BackboneConfig CONFIG = BackboneConfig.gpt2(3, 16, 4, 64, TinyByteBpe.VOCAB_SIZE, 64, 1e-5,
            BackboneConfig.Activation.GELU_TANH, TinyByteBpe.EOS);

    private TinyBackbone() {
    }

    /** Writes it under {@code parent}/tiny-gpt2 and returns that folder, a backbone path for specs and selections. */
    static Path write(Path parent) throws IOException {
        Path dir = parent.resolve("tiny-gpt2");
        TinyGpt2.writeWithTokenizer(dir, TinyGpt2.random(CONFIG, 11), TinyGpt2.Layout.BASE_MODEL);
        return dir;
    }
}
