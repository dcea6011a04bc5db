#include "corpus/ImportParams.h"

namespace ts {

ImportParams importDefaultParams()
{
    return ImportParams();
}

} // namespace ts
