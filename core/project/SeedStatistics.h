#pragma once

#include <QList>

#include <cstdint>

namespace ts {

/// A metric over the seeds of one experiment: n, mean, sample standard deviation and a 95%
/// percentile-bootstrap interval of the mean. Torch-free.
struct SeedEstimate
{
    int n = 0;
    double mean = 0.0;
    double std = 0.0;    // sample standard deviation (n - 1); 0 for one value
    double ciLow = 0.0;  // 95% bootstrap interval of the mean (equal to the mean for one value)
    double ciHigh = 0.0;
};

class SeedStatistics
{
public:
    /// Bootstrap resamples; fixed, like the seed, so that the interval is the same every time.
    static constexpr int kResamples = 2000;

    /// The estimate of `values`.
    static SeedEstimate of(const QList<double> &values, std::uint64_t seed = 0x5EED);
};

} // namespace ts
