#pragma once

#include "transfer/TransferStrategy.h"

namespace ts {

/// `prompt-fine-tune`: prompt-based fine-tuning (LM-BFF, Gao et al. 2021). Every text is put in
/// the prompt template; the language-model head (a decoder's, or a masked-LM encoder's at the
/// mask) scores each label's label word, and the loss is the cross-entropy of the softmax over
/// those scores (PromptObjective). No new head is trained: the pretrained LM head is the
/// classifier, which is why it learns from few labels. Trains every weight on the source's
/// labelled texts (and the target's few labels), measured like fine-tuning.
class PromptFineTuneStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "prompt-fine-tune"; // the registry key runs record

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;
};

} // namespace ts
