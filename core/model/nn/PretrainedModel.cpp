#include "model/nn/PretrainedModel.h"

#include "model/nn/BertModel.h"
#include "model/nn/CausalLmHead.h"
#include "model/nn/ClassificationHead.h"
#include "model/nn/DistilBertModel.h"
#include "model/nn/Gpt2Model.h"
#include "model/nn/LlamaModel.h"
#include "model/nn/MaskedLmHead.h"

namespace ts {

namespace {

std::shared_ptr<TransformerBackbone> makeBackbone(const ModelConfig &config)
{
    switch (config.family) {
    case ModelFamily::Bert:
    case ModelFamily::Roberta: return std::make_shared<BertModel>(config);
    case ModelFamily::DistilBert: return std::make_shared<DistilBertModel>(config);
    case ModelFamily::Gpt2: return std::make_shared<Gpt2Model>(config);
    case ModelFamily::Llama: return std::make_shared<LlamaModel>(config);
    }
    return nullptr;
}

std::shared_ptr<ModelHead> makeHead(const ModelConfig &config, ModelTask task, const torch::Tensor &words)
{
    switch (task) {
    case ModelTask::Embedding: return nullptr;
    case ModelTask::SequenceClassification: return std::make_shared<ClassificationHead>(config, config.numLabels());
    case ModelTask::MaskedLm: return std::make_shared<MaskedLmHead>(config, words);
    case ModelTask::CausalLm: return std::make_shared<CausalLmHead>(config, words);
    }
    return nullptr;
}

constexpr int kMaxLabels = 100'000; // same cap as config.json's id2label

} // namespace

Result<std::shared_ptr<PretrainedModel>> PretrainedModel::create(const ModelConfig &config, ModelTask task,
                                                                 int numLabels)
{
    using R = Result<std::shared_ptr<PretrainedModel>>;
    if (config.architectureFor(task).isEmpty())
        return R::failure(QStringLiteral("A %1 model has no %2 head (masked LM is for encoders, causal LM for decoders)")
                              .arg(config.modelType, task == ModelTask::MaskedLm ? QStringLiteral("masked-LM")
                                                                                 : QStringLiteral("causal-LM")));
    if (numLabels < 0 || numLabels > kMaxLabels)
        return R::failure(QStringLiteral("The number of labels must be from 1 to %1, not %2").arg(kMaxLabels).arg(numLabels));
    ModelConfig adjusted = config;
    if (numLabels > 0 && numLabels != config.numLabels()) {
        adjusted.labels.clear();
        for (int i = 0; i < numLabels; ++i)
            adjusted.labels.append(QStringLiteral("LABEL_%1").arg(i));
    }
    return std::shared_ptr<PretrainedModel>(new PretrainedModel(adjusted, task));
}

PretrainedModel::PretrainedModel(const ModelConfig &config, ModelTask task)
    : m_config(config), m_task(task), m_prefix(config.basePrefix().toStdString())
{
    m_backbone = register_module(m_prefix, makeBackbone(config));
    m_head = makeHead(config, task, m_backbone->wordEmbeddings());
    if (m_head) {
        for (const auto &child : m_head->named_children())
            register_module(child.key(), child.value());
    }
}

torch::Tensor PretrainedModel::forward(const torch::Tensor &ids, const torch::Tensor &mask)
{
    return headForward(encode(ids, mask), mask);
}

BackboneOutput PretrainedModel::encode(const torch::Tensor &ids, const torch::Tensor &mask, bool allHiddenStates)
{
    return m_backbone->forward(ids, mask, allHiddenStates);
}

torch::Tensor PretrainedModel::headForward(const BackboneOutput &output, const torch::Tensor &mask)
{
    if (!m_head)
        return output.hidden;
    // A backbone kept in bf16/fp16 feeds a head trained in fp32: its inputs are converted.
    const auto parameters = m_head->parameters();
    if (parameters.empty() || output.hidden.scalar_type() == parameters.front().scalar_type())
        return m_head->forward(output, mask);
    const torch::ScalarType type = parameters.front().scalar_type();
    BackboneOutput converted = output;
    converted.hidden = output.hidden.to(type);
    if (output.pooled.defined())
        converted.pooled = output.pooled.to(type);
    for (torch::Tensor &state : converted.hiddenStates)
        state = state.to(type);
    return m_head->forward(converted, mask);
}

bool PretrainedModel::isHeadParameter(const std::string &name) const
{
    if (name.rfind(m_prefix + ".pooler.", 0) == 0)
        return true;
    if (!m_head)
        return false;
    for (const auto &child : m_head->named_children()) {
        if (name.rfind(child.key() + ".", 0) == 0)
            return true;
    }
    return false;
}

void PretrainedModel::train(bool on)
{
    torch::nn::Module::train(on);
    if (m_head)
        m_head->train(on);
}

} // namespace ts
