#pragma once

#include "model/GenerationParams.h"
#include "util/Result.h"

#include <QString>

#include <functional>

namespace ts {

/// What to generate from and with what (llama.cpp's params style). The model is a registered
/// decoder (`model`) or the language model a finished run trained (`runId`).
struct TextGenerationParams
{
    QString projectPath;        // the project holding the model or the run
    QString model;              // a registered model's name or id, or ...
    qint64 runId = 0;           // ... a finished run (its trained model)
    QString prompt;             // the text to continue
    GenerationParams sampling;  // length, temperature, top-k, top-p, seed, abort (stop tokens: from the model)
    /// Called with each new piece of text as soon as its tokens decode to whole characters
    /// (streaming), on the calling thread; the pieces concatenated give TextGeneration::text.
    std::function<void(const QString &piece)> onText;
};

/// What generate() gives: the continuation and where it came from, for the user to see.
struct TextGeneration
{
    QString text;            // the continuation, special tokens left out
    int promptTokens = 0;    // the prompt's tokens (special tokens the tokenizer adds included)
    int newTokens = 0;       // tokens generated
    bool stoppedAtEos = false;
    bool aborted = false;
    double seconds = 0;      // wall time of the generation (model loading excluded)
    QString source;          // "model \"tiny-gpt2\"" or "run 3's model (continued-pretraining, tiny-gpt2)"
    QString settings;        // "greedy" or "temperature 0.8, top-k 40, top-p 0.9, seed 1"
};

/// Continues a text with a decoder: loads the model (a run's trained weights when a run is named),
/// tokenizes the prompt with the model's tokenizer, runs Generator on the CPU and decodes the new
/// tokens as they come. Encoders and classifier runs are refused with a message naming `predict`.
/// Torch-free header; runs on the calling thread.
class TextGenerator
{
public:
    /// The continuation of params.prompt.
    static Result<TextGeneration> generate(const TextGenerationParams &params);

    /// "greedy" at temperature 0, else the sampling settings that apply, as TextGeneration::settings.
    static QString describe(const GenerationParams &sampling);
};

} // namespace ts
