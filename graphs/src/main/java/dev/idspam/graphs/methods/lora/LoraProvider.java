package dev.idspam.graphs.methods.lora;

import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;

import java.util.List;

/** LoRA for the method registry. */
public final class LoraProvider implements MethodProvider<LoraConfig> {
    @Override
    public String id() {
        return "lora";
    }

    @Override
    public String description() {
        return "LoRA: a rank-r update on the query and value projections of every layer";
    }

    @Override
    public String displayName() {
        return "LoRA";
    }

    @Override
    public int tableRow() {
        return 20;
    }

    /** The paper claims fewer parameters than LoRA; the table shows the ratio. */
    @Override
    public boolean comparedInSize() {
        return true;
    }

    @Override
    public List<MethodOption> options() {
        return List.of(LoraConfig.RANK, LoraConfig.ALPHA);
    }

    @Override
    public LoraConfig config(MethodSpec s) {
        LoraConfig d = LoraConfig.defaults();
        return new LoraConfig(s.integer("lora-rank"), s.number("lora-alpha"), d.dropout(), d.initStd());
    }

    @Override
    public Method create(LoraConfig config) {
        return new LoraMethod(config);
    }

    /** A (n×r) and B (r×n) on W_Q and W_V of every layer: N·2·(2·n·r). */
    @Override
    public long trainableParameters(LoraConfig cfg, ModelSizes sizes) {
        return (long) sizes.layers() * 2 * (2L * sizes.hidden() * cfg.rank());
    }
}
