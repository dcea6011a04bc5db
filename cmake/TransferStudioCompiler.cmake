# Warnings, sanitizers and compiler cache shared by every target of the project.

add_compile_options(-Wall -Wextra)

if(TS_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()

find_program(TS_CCACHE ccache)
if(TS_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    # Precompiled headers need these sloppiness settings to be cacheable; the base directory makes
    # paths relative, so that another checkout of the same sources hits the same cache entries.
    set(CMAKE_CXX_COMPILER_LAUNCHER
        ${CMAKE_COMMAND} -E env "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
        "CCACHE_BASEDIR=${CMAKE_SOURCE_DIR}" ${TS_CCACHE})
endif()
