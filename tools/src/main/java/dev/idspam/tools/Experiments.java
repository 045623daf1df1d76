package dev.idspam.tools;

import dev.idspam.eval.report.GeneratedReport;
import dev.idspam.eval.report.ReportGenerator;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.pipeline.experiment.ExperimentRunner;
import dev.idspam.pipeline.experiment.ExperimentSpec;

import java.nio.file.Path;

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
                a.flag("keep-checkpoints"), System.out);
        boolean dry = a.flag("dry-run");
        a.finish();
        runner.run(dry);
        return 0;
    }

    static int report(Args a) throws Exception {
        Path store = a.path("store");
        Path out = a.path("out");
        a.finish();
        GeneratedReport r = new ReportGenerator(AtomicFiles::write).generate(store, out);
        r.warnings().forEach(w -> System.err.println("warning: " + w));
        System.out.println("report: " + r.index() + " (" + r.files().size() + " files)");
        return 0;
    }
}
