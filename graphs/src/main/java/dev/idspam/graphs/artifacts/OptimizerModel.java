package dev.idspam.graphs.artifacts;

import ai.onnx.proto.OnnxMl;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.onnx.OnnxWriter;

/**
 * The optimizer model: one {@code com.microsoft::AdamWOptimizer} node whose six inputs are exactly
 * {@link ArtifactNames#OPTIMIZER_INPUTS} (ORT checks names and order) and whose single output is the
 * {@code bool[1]} "updated" flag (ORT 1.24.1 rejects the {@code int64} the Python onnxblock declares).
 * It names no parameter, so it works with any checkpoint. Built directly as protobuf because its
 * sequence-typed inputs are outside what {@code GraphBuilder} models.
 */
public final class OptimizerModel {
    static final String UPDATED_FLAG = "adamw.updated_flag";

    private OptimizerModel() {
    }

    public static OnnxMl.ModelProto build(AdamWConfig c) {
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("optimizer");
        g.addInput(tensorInput(ArtifactNames.OPTIMIZER_INPUTS.get(0), DType.FLOAT));
        g.addInput(tensorInput(ArtifactNames.OPTIMIZER_INPUTS.get(1), DType.INT64));
        for (String seq : ArtifactNames.OPTIMIZER_INPUTS.subList(2, 6)) {
            g.addInput(sequenceInput(seq));
        }
        g.addNode(OnnxMl.NodeProto.newBuilder()
                .setName("AdamWOptimizer")
                .setOpType("AdamWOptimizer")
                .setDomain(OnnxWriter.MS_DOMAIN)
                .addAllInput(ArtifactNames.OPTIMIZER_INPUTS)
                .addOutput(UPDATED_FLAG)
                .addAttribute(floatAttr("alpha", c.beta1()))
                .addAttribute(floatAttr("beta", c.beta2()))
                .addAttribute(floatAttr("epsilon", c.epsilon()))
                .addAttribute(floatAttr("weight_decay", c.weightDecay()))
                .addAttribute(intAttr("adam_mode", 1))
                .addAttribute(intAttr("correct_bias", 1)));
        g.addOutput(tensorInput(UPDATED_FLAG, DType.BOOL));
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(OnnxWriter.IR_VERSION)
                .setProducerName("idspam")
                .setGraph(g)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxWriter.OPSET))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(OnnxWriter.MS_DOMAIN).setVersion(1))
                .build();
    }

    /** A {@code [1]}-shaped tensor value. */
    private static OnnxMl.ValueInfoProto tensorInput(String name, DType type) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(1)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(
                        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.onnxCode()).setShape(shape)))
                .build();
    }

    /** A {@code seq(tensor(float))} value without shape. */
    private static OnnxMl.ValueInfoProto sequenceInput(String name) {
        OnnxMl.TypeProto elem = OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(DType.FLOAT.onnxCode())).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setSequenceType(
                        OnnxMl.TypeProto.Sequence.newBuilder().setElemType(elem)))
                .build();
    }

    private static OnnxMl.AttributeProto floatAttr(String name, float v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
    }
}
