# libFuzzer instrumentation (TS_FUZZ, clang only; the `fuzz` preset): every target of the project
# is compiled with coverage hooks for libFuzzer plus ASan and UBSan, so that the core parsers the
# fuzz targets call are instrumented. Only the fuzz executables (tests/fuzz) link libFuzzer's main;
# everything else links the sanitizer runtimes alone.

if(NOT TS_FUZZ)
    return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TS_FUZZ needs clang (libFuzzer); configure with the fuzz preset: cmake --preset fuzz")
endif()

add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -gline-tables-only)
add_link_options(-fsanitize=address,undefined)
