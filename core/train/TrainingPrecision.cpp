#include "train/TrainingPrecision.h"

namespace ts {

QStringList TrainingPrecision::choices()
{
    return {QStringLiteral("auto"), QStringLiteral("fp32"), QStringLiteral("bf16")};
}

Result<Precision> TrainingPrecision::resolve(const QString &choice, bool cuda, const CpuFeatures &cpu)
{
    using R = Result<Precision>;
    if (choice == QLatin1String("fp32"))
        return Precision::Fp32;
    if (choice == QLatin1String("bf16")) {
        if (!cuda && !cpu.hasBf16())
            return R::failure(QStringLiteral("precision \"bf16\" was asked for on the CPU, but this processor has "
                                             "neither AVX512-BF16 nor AMX (bf16 would be emulated, slower than "
                                             "fp32); use --precision fp32 or auto"));
        return Precision::Bf16;
    }
    if (choice == QLatin1String("auto"))
        return cuda || cpu.hasBf16() ? Precision::Bf16 : Precision::Fp32;
    return R::failure(QStringLiteral("run configuration: \"precision\" is \"%1\"; use %2")
                          .arg(choice, choices().join(QStringLiteral(", "))));
}

QString TrainingPrecision::name(Precision precision)
{
    return precision == Precision::Bf16 ? QStringLiteral("bf16") : QStringLiteral("fp32");
}

QString TrainingPrecision::describe(Precision precision, bool cuda, const CpuFeatures &cpu)
{
    if (precision == Precision::Fp32)
        return name(precision);
    if (cuda || cpu.bf16Unit().isEmpty())
        return QStringLiteral("bf16 autocast");
    return QStringLiteral("bf16 autocast, %1").arg(cpu.bf16Unit());
}

} // namespace ts
