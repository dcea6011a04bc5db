# Installed files beyond the executables, and the Debian package (`cpack -G DEB` in the build
# folder, or `cpack --config build/<preset>/CPackConfig.cmake -G DEB`).

if(TS_BUILD_GUI)
    install(FILES ${CMAKE_SOURCE_DIR}/resources/transfer-studio.desktop
            DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/transfer-studio.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

set(CPACK_PACKAGE_NAME "transfer-studio")
set(CPACK_PACKAGE_VENDOR "Transfer Studio developers")
set(CPACK_PACKAGE_CONTACT "Transfer Studio developers <transfer-studio@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Cross-domain transfer learning workbench for pretrained language models")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libqt6core6 (>= 6.4), libqt6sql6-sqlite, libqt6widgets6, libqt6printsupport6, libqt6svg6, libqcustomplot2.1-qt6, libtorch1.13, libopenblas0-openmp")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_GENERATOR "DEB")
include(CPack)
