#include "CliCommand.h"

#include "ProjectCommands.h"

namespace ts::cli {

const QList<CliCommand> &commands()
{
    static const QList<CliCommand> all = {
        {"create", "Create an empty project file.", &runCreate},
        {"info", "Show a project's format version and contents.", &runInfo},
    };
    return all;
}

} // namespace ts::cli
