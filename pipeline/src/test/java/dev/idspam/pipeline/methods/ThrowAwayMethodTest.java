package dev.idspam.pipeline.methods;

import com.google.gson.JsonObject;
import dev.idspam.datasets.task.Task;
import dev.idspam.pipeline.experiment.ExperimentSpec;
import dev.idspam.pipeline.run.MethodReports;
import dev.idspam.pipeline.run.ParameterReport;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.ArtifactWriter;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.backbone.Injection;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodContext;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.MethodSettings;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.Device;
import dev.idspam.runtime.HostTensor;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A method added through the registry alone: a provider written here, registered for the test, is
 * read from an experiment spec with its own option, counted, named in reports, and its artifacts
 * are generated on a tiny backbone and train one step; nothing else in the project changes.
 */
class ThrowAwayMethodTest {
    private static final String ID = "layer-prompt";
    private static final String PARAMETER = "layer_prompt.prompt";

    /** t free vectors ~ N(0, spread²) prepended at layer m: t·n weights. */
    record LayerPromptConfig(int promptTokens, int layer, double spread) { }

    static final class LayerPromptProvider implements MethodProvider<LayerPromptConfig> {
        static final MethodOption SPREAD = MethodOption.positive("spread", "initial spread", 0.02,
                "standard deviation of the prompt's initial values");

        @Override
        public String id() {
            return ID;
        }

        @Override
        public String description() {
            return "free prompt vectors prepended at layer m";
        }

        @Override
        public String displayName() {
            return "Layer prompt";
        }

        @Override
        public int tableRow() {
            return 55;
        }

        @Override
        public List<MethodOption> options() {
            return List.of(MethodSettings.LAYER, MethodSettings.PROMPT_TOKENS, SPREAD);
        }

        @Override
        public LayerPromptConfig config(MethodSpec s) {
            return new LayerPromptConfig(s.integer("prompt-tokens"), s.integer("layer"), s.number("spread"));
        }

        @Override
        public Method create(LayerPromptConfig cfg) {
            return new Method() {
                @Override
                public String id() {
                    return ID;
                }

                @Override
                public JsonObject config() {
                    JsonObject o = new JsonObject();
                    o.addProperty("prompt_tokens", cfg.promptTokens());
                    o.addProperty("layer", cfg.layer());
                    o.addProperty("spread", cfg.spread());
                    return o;
                }

                @Override
                public int promptTokens() {
                    return cfg.promptTokens();
                }

                @Override
                public int frozenPrefixLayers() {
                    return cfg.layer();
                }

                @Override
                public Injection injection(MethodContext ctx) {
                    MethodSettings.checkLayerFor(cfg.layer(), ctx.config().layers());
                    int n = ctx.config().hidden();
                    return Injection.prepend(cfg.layer(), (b, at) -> {
                        Ops o = b.ops();
                        Value p = b.parameter(PARAMETER, ctx.init().normal(PARAMETER, cfg.spread(), cfg.promptTokens(), n), true);
                        ctx.declareTrainable(PARAMETER);
                        Value target = o.concat(0, o.shape(at.hidden(), 0, 1), o.longs(1, 1));
                        return o.expand(o.unsqueeze(p, 0), target);
                    });
                }
            };
        }

        @Override
        public long trainableParameters(LayerPromptConfig cfg, ModelSizes sizes) {
            return (long) cfg.promptTokens() * sizes.hidden();
        }
    }

    @Test
    void aMethodRegisteredInATestRunsThroughSpecsCountsReportsAndTraining(@TempDir Path dir) throws Exception {
        assertThat(MethodRegistry.contains(ID)).isFalse();
        try (MethodRegistry.Registration ignored = MethodRegistry.register(new LayerPromptProvider())) {
            // an experiment spec sets the new method's own option and a shared one
            Path file = dir.resolve("spec.json");
            Files.writeString(file, """
                    {"backbone": "tiny", "tasks": [{"task": "sst2"}],
                     "methods": [{"id": "layer-prompt", "layer": 1, "prompt_tokens": 2, "spread": 0.05}, "probe"]}
                    """);
            ExperimentSpec spec = ExperimentSpec.read(file);
            ExperimentSpec.MethodEntry entry = spec.methods().get(0);
            assertThat(entry.layers()).containsExactly(1);
            assertThat(entry.options()).containsEntry("prompt-tokens", 2).containsEntry("spread", 0.05);
            Files.writeString(file, """
                    {"tasks": [{"task": "sst2"}], "methods": [{"id": "layer-prompt", "spread": 0}]}
                    """);
            assertThatThrownBy(() -> ExperimentSpec.read(file))
                    .hasMessageContaining("field 'methods[0].spread': initial spread (--spread) must be a finite number > 0");

            Map<String, Number> values = new LinkedHashMap<>(entry.options());
            values.put("layer", entry.layers().get(0));
            MethodSpec ms = MethodSpec.of(ID, values);

            // counted: the formula agrees with the graph; named in reports
            BackboneWeights backbone = TinyBert.random(5);
            assertThat(ms.trainableParameters(ModelSizes.of(backbone.config()))).isEqualTo(2L * TinyBert.HIDDEN)
                    .isEqualTo(ParameterReport.count(backbone, ms, Task.SST2).method());
            assertThat(MethodReports.config().displayName(ID)).isEqualTo("Layer prompt");
            assertThat(MethodReports.sheet().rows().get(0).methods()).anyMatch(p -> p.method().equals(ID));

            // generated on a tiny backbone, trained one step: the prompt moves
            TaskModel model = new TaskModel(backbone, ms.create(), HeadConfig.classification(2), 3);
            ArtifactWriter.forModel(model).optimizer(AdamWConfig.defaults()).build().write(dir.resolve("artifacts"));
            Artifacts artifacts = Artifacts.open(dir.resolve("artifacts"));
            assertThat(artifacts.manifest().trainable().names()).contains(PARAMETER);
            TensorData before = Checkpoint.read(artifacts.checkpoint()).parameters().get(PARAMETER);
            NativeRuntime runtime = NativeRuntime.install(new RunSettings(Device.CPU, 1).runtimeConfig());
            try (TrainingSession s = TrainingSession.open(runtime, artifacts, artifacts.checkpoint())) {
                s.lazyResetGrad();
                float loss = s.trainStep(batch());
                s.setLearningRate(1e-2f);
                s.optimizerStep();
                assertThat(loss).isFinite();
                assertThat(s.weights().parameters().get(PARAMETER).toFloats()).isNotEqualTo(before.toFloats());
            }
        }
        assertThat(MethodRegistry.contains(ID)).as("the registration is undone").isFalse();
    }

    private static Batch batch() {
        int rows = 2;
        int len = 4;
        long[] ids = {5, 6, 7, 8, 9, 10, 11, 0};
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 0};
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(TaskModel.INPUT_IDS, HostTensor.longs(ids, rows, len));
        in.put(TaskModel.ATTENTION_MASK, HostTensor.longs(mask, rows, len));
        in.put(TaskModel.TOKEN_TYPE_IDS, HostTensor.longs(new long[rows * len], rows, len));
        in.put(TaskModel.LABELS, HostTensor.longs(new long[] {0, 1}, rows));
        return new Batch(in);
    }
}
