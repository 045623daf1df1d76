package dev.idspam.tools;

import dev.idspam.eval.report.GeneratedReport;
import dev.idspam.pipeline.experiment.ExperimentRunner;
import dev.idspam.pipeline.experiment.ExperimentSpec;
import dev.idspam.pipeline.experiment.LayerSelection;
import dev.idspam.pipeline.run.MethodReports;

import java.nio.file.Path;
import java.util.List;

/** {@code idspam experiment} and {@code idspam report}. */
final class Experiments {
    private Experiments() {
    }

    static int run(Args a) throws Exception {
        if (a.positional().size() != 1) {
            throw new Args.UsageException("experiment: give exactly one SPEC.json");
        }
        Path specFile = Path.of(a.positional().get(0));
        ExperimentSpec spec = ExperimentSpec.read(specFile);
        Path out = Path.of(a.get("out", "runs/experiments/" + spec.id()));
        ExperimentRunner runner = new ExperimentRunner(spec, out, Main.dataDirs(a), Main.runSettings(a),
                a.flag("keep-checkpoints"), Main.verbosity() == Cli.Verbosity.QUIET
                        ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : System.out,
                Main.verbosity() == Cli.Verbosity.VERBOSE ? TrainingProgress.linesOnly() : dev.idspam.runtime.TrainingListener.NONE);
        boolean dry = a.flag("dry-run");
        a.finish();
        runner.run(dry);
        return 0;
    }

    static int selectLayer(Args a) throws Exception {
        String backbone = a.get("backbone");
        String method = a.get("method");
        if (!dev.idspam.graphs.methods.MethodSpec.defaults(method).reads(dev.idspam.graphs.methods.MethodSettings.LAYER.name())) {
            throw new Args.UsageException("select-layer: --method " + method + " takes no injection layer");
        }
        dev.idspam.datasets.task.Task task = dev.idspam.datasets.task.Task.parse(a.get("task"));
        List<Integer> layers = new java.util.ArrayList<>();
        if (a.has("layers")) {
            for (String part : a.get("layers").split(",")) {
                try {
                    layers.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new Args.UsageException("--layers: '" + part + "' is not a layer number (give e.g. 1,3,5)");
                }
            }
        }
        Path out = Path.of(a.get("out", "runs/select-layer/" + backbone.replaceAll("[^A-Za-z0-9._-]", "_") + "-"
                + task.shortName() + "-" + method));
        LayerSelection.Spec spec = new LayerSelection.Spec(backbone, method, task, layers, a.getInt("budget"),
                a.getInt("batch-size"), a.getDouble("lr"), a.getLong("seed"), a.getInt("max-train-samples"),
                a.getInt("max-length"), a.flag("grid"), out, Main.dataDirs(a), Main.runSettings(a));
        a.finish();
        LayerSelection.Result r = new LayerSelection(spec, Main.verbosity() == Cli.Verbosity.QUIET
                ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : System.out).run();
        System.out.printf(java.util.Locale.ROOT, "chosen layer: %d (dev %s %.2f); %d of a grid's %d epochs; report: %s%n",
                r.chosen(), r.metric(), 100 * r.chosenScore(), r.epochsUsed(), r.gridEpochs(), out.resolve("selection.md"));
        return 0;
    }

    static int report(Args a) throws Exception {
        Path store = a.path("store");
        Path out = a.path("out");
        a.finish();
        GeneratedReport r = MethodReports.generator().generate(store, out);
        r.warnings().forEach(w -> System.err.println("warning: " + w));
        System.out.println("report: " + r.index() + " (" + r.files().size() + " files)");
        return 0;
    }
}
