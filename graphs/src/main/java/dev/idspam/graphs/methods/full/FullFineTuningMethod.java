package dev.idspam.graphs.methods.full;

import com.google.gson.JsonObject;
import dev.idspam.graphs.methods.Method;

/** Full fine-tuning: every backbone weight, embeddings included, trains together with the head. */
public final class FullFineTuningMethod implements Method {
    @Override
    public String id() {
        return "full";
    }

    @Override
    public JsonObject config() {
        return new JsonObject();
    }

    /** Every layer trains. */
    @Override
    public int frozenPrefixLayers() {
        return 0;
    }

    @Override
    public int promptTokens() {
        return 0;
    }

    @Override
    public boolean trainsBackbone() {
        return true;
    }
}
