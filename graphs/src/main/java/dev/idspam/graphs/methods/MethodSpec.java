package dev.idspam.graphs.methods;

import dev.idspam.graphs.methods.full.FullFineTuningMethod;
import dev.idspam.graphs.methods.idspam.IdSpamConfig;
import dev.idspam.graphs.methods.idspam.IdSpamMethod;
import dev.idspam.graphs.methods.lora.LoraConfig;
import dev.idspam.graphs.methods.lora.LoraMethod;
import dev.idspam.graphs.methods.lpt.LptConfig;
import dev.idspam.graphs.methods.lpt.LptMethod;
import dev.idspam.graphs.methods.probe.LinearProbeMethod;
import dev.idspam.graphs.methods.prompttuning.PromptTuningConfig;
import dev.idspam.graphs.methods.prompttuning.PromptTuningMethod;

import java.util.List;

/**
 * A method chosen by id with the settings a user can give on the command line; {@link #create()}
 * turns it into a {@link Method}. A method reads only its own settings ({@link #options}); the
 * ones it reads are validated when the spec is made, by the method's config record, so a bad
 * value is refused before anything is built or written.
 *
 * @param id             one of {@link #IDS}
 * @param layer          injection layer m (ID-SPAM, mean-pool ablation, LPT)
 * @param promptTokens   t
 * @param promptDropout  dropout on generated prompts in training
 * @param bottleneck     ID-SPAM's c (0 = default)
 * @param generatorHeads ID-SPAM generator attention heads
 * @param lptRank        LPT's r
 * @param loraRank       LoRA's r
 * @param loraAlpha      LoRA's α
 */
public record MethodSpec(String id, int layer, int promptTokens, double promptDropout, int bottleneck, int generatorHeads,
                         int lptRank, int loraRank, double loraAlpha) {
    public static final List<String> IDS = List.of("idspam", "idspam-meanpool", "prompt-tuning", "lpt", "lora", "full", "probe");

    public MethodSpec {
        if (!IDS.contains(id)) {
            throw new IllegalArgumentException("unknown method '" + id + "'; choose one of " + IDS);
        }
        create(id, layer, promptTokens, promptDropout, bottleneck, generatorHeads, lptRank, loraRank, loraAlpha);
    }

    public static MethodSpec defaults(String id, int layer) {
        return new MethodSpec(id, layer, 10, 0.1, 0, 1, 256, 8, 16);
    }

    /** The command-line options (without dashes) of the settings method {@code id} reads. */
    public static List<String> options(String id) {
        return switch (id) {
            case "idspam", "idspam-meanpool" -> List.of("layer", "prompt-tokens", "prompt-dropout", "bottleneck", "generator-heads");
            case "prompt-tuning" -> List.of("prompt-tokens");
            case "lpt" -> List.of("layer", "prompt-tokens", "prompt-dropout", "lpt-rank");
            case "lora" -> List.of("lora-rank", "lora-alpha");
            case "full", "probe" -> List.of();
            default -> throw new IllegalArgumentException("unknown method '" + id + "'; choose one of " + IDS);
        };
    }

    public MethodSpec withLayer(int m) {
        return new MethodSpec(id, m, promptTokens, promptDropout, bottleneck, generatorHeads, lptRank, loraRank, loraAlpha);
    }

    public Method create() {
        return create(id, layer, promptTokens, promptDropout, bottleneck, generatorHeads, lptRank, loraRank, loraAlpha);
    }

    private static Method create(String id, int layer, int promptTokens, double promptDropout, int bottleneck,
                                 int generatorHeads, int lptRank, int loraRank, double loraAlpha) {
        return switch (id) {
            case "idspam", "idspam-meanpool" -> new IdSpamMethod(new IdSpamConfig(promptTokens, layer, bottleneck, generatorHeads,
                    true, IdSpamConfig.GeneratorInput.WORD_EMBEDDINGS, IdSpamConfig.PromptActivation.RELU, promptDropout,
                    id.equals("idspam-meanpool"), 0.02));
            case "prompt-tuning" -> new PromptTuningMethod(new PromptTuningConfig(promptTokens, 0.0));
            case "lpt" -> new LptMethod(new LptConfig(promptTokens, layer, lptRank, promptDropout, 0.02));
            case "lora" -> new LoraMethod(new LoraConfig(loraRank, loraAlpha, 0.0, 0.02));
            case "full" -> new FullFineTuningMethod();
            case "probe" -> new LinearProbeMethod();
            default -> throw new IllegalStateException(id);
        };
    }
}
