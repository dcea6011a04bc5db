#include "train/TrainingTexts.h"

#include "train/DomainDataLoader.h"
#include "train/TrainingConfig.h"

namespace ts {

TrainingTexts TrainingTexts::draw(const DomainData &source, const DomainData &target, const TrainingConfig &config,
                                  int numClasses)
{
    const auto seed = std::uint64_t(config.dataSeed);
    TrainingTexts texts;
    texts.source = DomainDataLoader::cap(source.train, config.maxTrainExamples, seed ^ DomainDataLoader::kTrainCapStream);
    if (config.targetLabels != 0)
        texts.target = DomainDataLoader::samplePerClass(target.train, config.targetLabels, numClasses,
                                                        seed ^ DomainDataLoader::kFewShotStream);
    return texts;
}

} // namespace ts
