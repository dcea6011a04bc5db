#include "corpus/DomainShiftParams.h"

namespace ts {

DomainShiftParams domainShiftDefaultParams()
{
    return DomainShiftParams();
}

} // namespace ts
