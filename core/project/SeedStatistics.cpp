#include "project/SeedStatistics.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace ts {

SeedEstimate SeedStatistics::of(const QList<double> &values, std::uint64_t seed)
{
    SeedEstimate e;
    e.n = int(values.size());
    if (e.n == 0)
        return e;
    for (double v : values)
        e.mean += v;
    e.mean /= e.n;
    double squares = 0.0;
    for (double v : values)
        squares += (v - e.mean) * (v - e.mean);
    e.std = e.n > 1 ? std::sqrt(squares / (e.n - 1)) : 0.0;
    e.ciLow = e.ciHigh = e.mean;
    if (e.n < 2)
        return e;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> pick(0, e.n - 1);
    std::vector<double> means(kResamples);
    for (double &m : means) {
        double sum = 0.0;
        for (int i = 0; i < e.n; ++i)
            sum += values[pick(rng)];
        m = sum / e.n;
    }
    std::sort(means.begin(), means.end());
    e.ciLow = means[size_t(0.025 * (kResamples - 1))];
    e.ciHigh = means[size_t(std::ceil(0.975 * (kResamples - 1)))];
    return e;
}

} // namespace ts
