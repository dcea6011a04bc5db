#pragma once
// Includes torch: ui/ and the CLI must not include this header (they get ModelFolder / LoadReport).

#include "model/LoadOptions.h"
#include "model/LoadReport.h"
#include "model/ModelFolder.h"
#include "model/SafeTensorsFile.h"
#include "model/nn/NamedTensors.h"
#include "model/nn/PretrainedModel.h"
#include "util/Result.h"

#include <memory>

namespace ts {

/// Builds a PretrainedModel from a Hugging Face folder and fills it strictly: every missing,
/// unexpected or mis-shaped tensor is listed in one error. Checkpoint names may carry the base prefix
/// ("bert.", "roberta.", "distilbert.", "transformer.", "model.") or not. Head tensors absent from a
/// base checkpoint are freshly initialised and reported; tensors of other heads and known buffers
/// (position_ids, rotary inv_freq, GPT-2's attn.bias) are reported as ignored.
class ModelLoader
{
public:
    /// A loaded model with the folder it came from and what loading reported.
    struct Loaded
    {
        ModelFolder folder;
        std::shared_ptr<PretrainedModel> model; // CPU, fp32 (or stored dtype: LoadOptions), eval mode
        LoadReport report;
    };

    /// Inspects `dir`, builds the model for `options.task` and loads its weights.
    static Result<Loaded> load(const QString &dir, const LoadOptions &options = {});

    /// Every tensor of the folder's safetensors file(s), checked against the shard index. The tensors
    /// view the file mappings (no copy; copy-on-write: a write copies the pages it touches, never the file).
    static Result<NamedTensors> readTensors(const ModelFolder &folder);

    /// The tensors of one safetensors file, as views of its copy-on-write mapping.
    static Result<NamedTensors> readFile(const QString &path);
    /// The tensors of a safetensors image held in memory, validated like a file, as read-only views of
    /// it; `name` stands for the path in errors.
    static Result<NamedTensors> readBytes(const QByteArray &bytes, const QString &name);

    /// Copies `tensors` into `model` by name (converting dtypes; with options.keepStoredDtype, bf16/fp16
    /// backbone tensors replace their parameters in their own dtype: on the CPU the parameter then views
    /// the mapped file, which it keeps open). Placeholders of an active DeferredInit are replaced by one
    /// converted copy each. `source` names the checkpoint in errors.
    static Result<LoadReport> loadWeights(PretrainedModel &model, const NamedTensors &tensors,
                                          const LoadOptions &options, const QString &source);

private:
    /// Every tensor of an opened safetensors file (or its error), as views of its mapping.
    static Result<NamedTensors> tensorsOf(const Result<SafeTensorsFile> &file);
    static Status addFile(const SafeTensorsFile &file, const ModelFolder *folder, NamedTensors &tensors);
};

} // namespace ts
