#include "transfer/PromptSettings.h"

#include "train/TrainingConfig.h"
#include "transfer/StrategyDescriptor.h"

#include <QObject>

namespace ts {

namespace {
constexpr int kMaxDemonstrationsPerClass = 16; // more rarely fits a context window
} // namespace

QList<StrategyOption> PromptSettings::options(bool inContext)
{
    QList<StrategyOption> result{
        {QString::fromLatin1(kPrompt), QObject::tr("Prompt"), StrategyOption::Kind::Prompt, QString(), 0, 0, {},
         QObject::tr("The text the model sees: {text} is the input, {mask} where the label word goes (at the end "
                     "for decoders; a masked-LM encoder predicts it there). Without {mask} the label word follows "
                     "the text. Empty: \"{text}\".")},
        {QString::fromLatin1(kLabelWords), QObject::tr("Label words"), StrategyOption::Kind::LabelWords, QString(), 0, 0,
         {},
         QObject::tr("One word per label that the language model scores, e.g. \"positive=great,negative=terrible\". "
                     "Every label needs one. Empty: the label names.")},
        {QString::fromLatin1(kWordScore), QObject::tr("Word score"), StrategyOption::Kind::Choice, QStringLiteral("mean"),
         0, 0, {QStringLiteral("mean"), QStringLiteral("sum")},
         QObject::tr("A label word of several tokens: the mean of its tokens' log-probabilities (fair to long words) "
                     "or their sum (the word's log-probability).")},
    };
    if (inContext) {
        result.append({QString::fromLatin1(kDemonstrations), QObject::tr("Demonstrations per class"),
                       StrategyOption::Kind::Integer, 0, 0, double(kMaxDemonstrationsPerClass), {},
                       QObject::tr("In-context few-shot: this many solved examples of each class, drawn with the data "
                                   "seed from the target's few labels (or the source's when the target has none), "
                                   "are placed before each text. 0: none.")});
        result.append({QString::fromLatin1(kCalibrate), QObject::tr("Contextual calibration"), StrategyOption::Kind::Flag,
                       false, 0, 0, {},
                       QObject::tr("Divides each label's probability by its probability for a content-free input "
                                   "(Zhao et al. 2021), which removes the prompt's bias toward some labels.")});
        result.append({QString::fromLatin1(kContentFree), QObject::tr("Content-free input"), StrategyOption::Kind::Text,
                       QStringLiteral("N/A"), 0, 0, {},
                       QObject::tr("The input calibration measures the bias with, e.g. \"N/A\" or an empty string.")});
    }
    return result;
}

bool PromptSettings::isSet(const TrainingConfig &config)
{
    return !config.optionString(QString::fromLatin1(kPrompt), QString()).trimmed().isEmpty()
           || !config.optionString(QString::fromLatin1(kLabelWords), QString()).trimmed().isEmpty();
}

QString PromptSettings::render(const QString &text, const Demonstrations &demonstrations, const QString &maskToken) const
{
    return PromptTemplate::withDemonstrations(demonstrations.render(text, prompt, words), prompt.query(text, maskToken));
}

Result<PromptSettings> PromptSettings::read(const StrategyDescriptor &descriptor, const TrainingConfig &config,
                                            const QStringList &classes, bool decoder)
{
    using R = Result<PromptSettings>;
    PromptSettings s;
    const auto prompt = PromptTemplate::parse(descriptor.text(config, QString::fromLatin1(kPrompt)));
    if (!prompt)
        return R::failure(prompt.error());
    if (const Status check = prompt->checkFor(decoder); !check)
        return R::failure(check.error());
    s.prompt = prompt.value();
    const QString wordSetting = descriptor.text(config, QString::fromLatin1(kLabelWords));
    const QStringList fallbackWords =
        descriptor.defaultLabelWords ? descriptor.defaultLabelWords(config, classes) : QStringList();
    if (wordSetting.trimmed().isEmpty() && fallbackWords.size() == classes.size()) {
        s.words = fallbackWords;
    } else {
        const auto words = Verbalizer::parse(wordSetting, classes);
        if (!words)
            return R::failure(words.error());
        s.words = words->words();
    }
    s.wordScore = descriptor.text(config, QString::fromLatin1(kWordScore)) == QLatin1String("sum") ? WordScore::Sum
                                                                                                     : WordScore::Mean;
    if (descriptor.option(QString::fromLatin1(kDemonstrations))) {
        s.demonstrationsPerClass = int(descriptor.number(config, QString::fromLatin1(kDemonstrations)));
        s.calibrate = descriptor.flag(config, QString::fromLatin1(kCalibrate));
        s.contentFree = descriptor.text(config, QString::fromLatin1(kContentFree));
    }
    return s;
}

} // namespace ts
