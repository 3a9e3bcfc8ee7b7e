# install.cmake - `cmake --install`: the lattice CLI, the runtime (static and shared), its headers,
# the stdlib modules, a CMake package (find_package(Lattice)), lattice.pc, and CPack's .deb.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(LATTICE_INSTALL_BINDIR ${CMAKE_INSTALL_BINDIR})
# The CLI looks for its modules at ../share/lattice/stdlib from its own folder.
set(LATTICE_INSTALL_STDLIBDIR ${CMAKE_INSTALL_DATADIR}/lattice/stdlib)
set(LATTICE_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Lattice)

# `lattice serve` runs `lattice-serve` from the folder of `lattice`: both go to the same bindir.
install(TARGETS lattice RUNTIME DESTINATION ${LATTICE_INSTALL_BINDIR})
if(TARGET lattice-serve)
  install(TARGETS lattice-serve RUNTIME DESTINATION ${LATTICE_INSTALL_BINDIR})
endif()
install(DIRECTORY stdlib/ DESTINATION ${LATTICE_INSTALL_STDLIBDIR} FILES_MATCHING PATTERN "*.lat")
install(EXPORT LatticeTargets NAMESPACE Lattice:: DESTINATION ${LATTICE_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/LatticeConfig.cmake.in
  ${PROJECT_BINARY_DIR}/LatticeConfig.cmake INSTALL_DESTINATION ${LATTICE_INSTALL_CMAKEDIR}
  PATH_VARS LATTICE_INSTALL_BINDIR LATTICE_INSTALL_STDLIBDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/LatticeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/LatticeConfig.cmake
  ${PROJECT_BINARY_DIR}/LatticeConfigVersion.cmake DESTINATION ${LATTICE_INSTALL_CMAKEDIR})
# lattice.pc with the prefix of `cmake --install --prefix` (not the configure-time prefix): the
# install step substitutes it, so one build can be installed anywhere.
install(CODE "
  set(CMAKE_INSTALL_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(CMAKE_INSTALL_LIBDIR \"${CMAKE_INSTALL_LIBDIR}\")
  set(CMAKE_INSTALL_INCLUDEDIR \"${CMAKE_INSTALL_INCLUDEDIR}\")
  set(PROJECT_VERSION \"${PROJECT_VERSION}\")
  configure_file(\"${PROJECT_SOURCE_DIR}/cmake/lattice.pc.in\"
                 \"${PROJECT_BINARY_DIR}/lattice.pc.install\" @ONLY)
  file(INSTALL \"${PROJECT_BINARY_DIR}/lattice.pc.install\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig\"
       RENAME lattice.pc)
")

# `cpack -G DEB` in the build folder: one package with everything above. Its dependencies are
# the shared libraries the CLI links (ANTLR, fmt, LLVM), found by dpkg-shlibdeps.
set(CPACK_PACKAGE_NAME lattice)
set(CPACK_PACKAGE_VENDOR "Lattice maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "policy compiler and static analyzer for multi-tenant role models, and its runtime")
set(CPACK_PACKAGE_CONTACT "Lattice maintainers <maintainers@example.invalid>")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
