package dev.idspam.graphs.methods.idspam;

import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodClaim;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodSettings;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;
import dev.idspam.graphs.methods.lora.LoraProvider;
import dev.idspam.graphs.methods.lpt.LptProvider;
import dev.idspam.graphs.methods.prompttuning.PromptTuningProvider;

import java.util.List;

/** ID-SPAM and its mean-pool ablation (one provider each, same settings) for the method registry. */
public final class IdSpamProvider implements MethodProvider<IdSpamConfig> {
    /** ID-SPAM, the project's proposed method. */
    public static final IdSpamProvider STANDARD = new IdSpamProvider(false);
    /** The ablation without the generator's self-attention (A = masked mean of E). */
    public static final IdSpamProvider MEAN_POOL = new IdSpamProvider(true);

    private static final List<MethodOption> OPTIONS = List.of(MethodSettings.LAYER, MethodSettings.PROMPT_TOKENS,
            MethodSettings.PROMPT_DROPOUT, IdSpamConfig.BOTTLENECK, IdSpamConfig.GENERATOR_HEADS,
            IdSpamConfig.GENERATOR_INIT_STD);

    private final boolean meanPoolOnly;

    private IdSpamProvider(boolean meanPoolOnly) {
        this.meanPoolOnly = meanPoolOnly;
    }

    @Override
    public String id() {
        return meanPoolOnly ? "idspam-meanpool" : "idspam";
    }

    @Override
    public String description() {
        return meanPoolOnly ? "ID-SPAM ablation: the generator mean-pools the input instead of attending"
                : "ID-SPAM: a prompt generated from the input by self-attention, injected at one layer";
    }

    @Override
    public String displayName() {
        return meanPoolOnly ? "Mean-pooling" : "ID-SPAM";
    }

    @Override
    public int tableRow() {
        return meanPoolOnly ? 80 : 90;
    }

    @Override
    public Role role() {
        return meanPoolOnly ? Role.ABLATION : Role.REFERENCE;
    }

    /** The paper's Tables 1–2: above LPT and Prompt Tuning, and at least LoRA's scores with fewer trainable weights. */
    @Override
    public List<MethodClaim> paperClaims() {
        return meanPoolOnly ? List.of() : List.of(MethodClaim.above(LptProvider.class),
                MethodClaim.above(PromptTuningProvider.class), MethodClaim.atLeast(LoraProvider.class));
    }

    @Override
    public List<MethodOption> options() {
        return OPTIONS;
    }

    @Override
    public IdSpamConfig config(MethodSpec s) {
        return new IdSpamConfig(s.integer("prompt-tokens"), s.integer("layer"), s.integer("bottleneck"),
                s.integer("generator-heads"), true, IdSpamConfig.GeneratorInput.WORD_EMBEDDINGS,
                IdSpamConfig.PromptActivation.RELU, s.number("prompt-dropout"), meanPoolOnly, s.number("generator-init-std"));
    }

    @Override
    public Method create(IdSpamConfig config) {
        return new IdSpamMethod(config);
    }

    /**
     * Q, K, V (n×n each, with biases when {@code qkvBias}; none in the mean-pool ablation), the
     * down-projection n×c + c and the up-projection c×(t·n) + t·n:
     * 3(n²+n) + (n·c + c) + (c·t·n + t·n).
     */
    @Override
    public long trainableParameters(IdSpamConfig cfg, ModelSizes sizes) {
        long n = sizes.hidden();
        long c = cfg.bottleneckFor(sizes.hidden());
        long tn = (long) cfg.promptTokens() * n;
        long qkv = cfg.meanPoolOnly() ? 0 : 3 * (n * n + (cfg.qkvBias() ? n : 0));
        return qkv + n * c + c + c * tn + tn;
    }
}
