package dev.idspam.graphs.methods.probe;

import com.google.gson.JsonObject;
import dev.idspam.graphs.methods.Method;

/** The frozen-backbone probe: only the task head trains. The floor every method must beat. */
public final class LinearProbeMethod implements Method {
    @Override
    public String id() {
        return "probe";
    }

    @Override
    public JsonObject config() {
        return new JsonObject();
    }

    /** The whole encoder is frozen, but the head reads the last layer; caching it is not done (0). */
    @Override
    public int frozenPrefixLayers() {
        return 0;
    }

    @Override
    public int promptTokens() {
        return 0;
    }
}
