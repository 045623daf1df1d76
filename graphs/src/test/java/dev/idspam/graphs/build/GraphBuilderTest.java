package dev.idspam.graphs.build;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.idspam.graphs.autodiff.Autodiff;
import dev.idspam.graphs.onnx.OnnxWriter;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphBuilderTest {

    private static Graph tinyGraph() {
        GraphBuilder b = new GraphBuilder("tiny");
        Ops o = b.ops();
        Value x = b.input("x", DType.FLOAT, Shape.of("batch", 3));
        Value w = b.parameter("W", TensorData.ofFloats(new long[] {3, 2}, 1, 2, 3, 4, 5, 6), true);
        Value bias = b.parameter("b", TensorData.ofFloats(new long[] {2}, 0.5f, -0.5f), true);
        Value y = o.relu(o.add(o.matmul(x, w), bias));
        Value loss = b.op("ReduceSum", List.of(Attr.i("keepdims", 0)), o.mul(y, y));
        Autodiff.standard();
        b.output(loss, "loss");
        b.output(y, "y");
        return b.build();
    }

    @Test
    void sameCallsGiveByteIdenticalModels() {
        assertThat(OnnxWriter.toBytes(tinyGraph())).isEqualTo(OnnxWriter.toBytes(tinyGraph()));
    }

    @Test
    void infersShapesThroughBroadcastAndMatMul() {
        Graph g = tinyGraph();
        assertThat(g.value("y").shape().toString()).isEqualTo("[batch, 2]");
    }

    @Test
    void runsOnOnnxRuntime() throws Exception {
        Graph g = tinyGraph();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(OnnxWriter.toBytes(g), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 0, 0, 0, 1, -1}), new long[] {2, 3});
             OnnxTensor w = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6}), new long[] {3, 2});
             OnnxTensor bias = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {0.5f, -0.5f}), new long[] {2});
             OrtSession.Result r = s.run(Map.of("x", x, "W", w, "b", bias))) {
            float[][] y = (float[][]) r.get("y").get().getValue();
            // row 0: [1,2]+[.5,-.5] = [1.5,1.5]; row 1: [3-5, 4-6] + b = [-1.5,-2.5] → relu 0
            assertThat(y[0]).containsExactly(1.5f, 1.5f);
            assertThat(y[1]).containsExactly(0f, 0f);
        }
    }

    @Test
    void rejectsReadsOfUndefinedValues() {
        GraphBuilder b = new GraphBuilder("bad");
        Value ghost = new Value("ghost", DType.FLOAT, Shape.of(2));
        assertThatThrownBy(() -> b.ops().relu(ghost)).hasMessageContaining("ghost");
    }

    @Test
    void rejectsDuplicateExactNames() {
        GraphBuilder b = new GraphBuilder("dup");
        b.input("x", DType.FLOAT, Shape.of(2));
        assertThatThrownBy(() -> b.input("x", DType.FLOAT, Shape.of(2))).hasMessageContaining("already used");
    }

    @Test
    void argMaxGivesInt64IndicesAndRandomNormalLikeKeepsItsInput() {
        GraphBuilder b = new GraphBuilder("routing");
        Value z = b.input("z", DType.FLOAT, Shape.of("batch", 4));
        Value kept = b.op("ArgMax", List.of(Attr.i("axis", 1), Attr.i("keepdims", 1)), z);
        Value dropped = b.op("ArgMax", List.of(Attr.i("axis", -1), Attr.i("keepdims", 0)), z);
        Value noise = b.op("RandomNormalLike", List.of(Attr.f("scale", 1f)), z);
        assertThat(kept.type()).isEqualTo(DType.INT64);
        assertThat(kept.shape().toString()).isEqualTo("[batch, 1]");
        assertThat(dropped.shape().toString()).isEqualTo("[batch]");
        assertThat(noise.type()).isEqualTo(DType.FLOAT);
        assertThat(noise.shape().toString()).isEqualTo("[batch, 4]");
    }
}
