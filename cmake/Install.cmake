# Where fotacheck's files go, installed and in the build tree (suite/common/data_location.h).
#
# Installed (`cmake --install build --prefix P`, or the .deb with P = /usr):
#   P/bin/fotacheck, P/bin/fotacheck-refclient
#   P/share/fotacheck/{adapters/profiles,fixtures/pki,fixtures/keys}  the data, in the source
#       tree's layout so that the profiles' relative paths (../../fixtures/pki/...) still hold
#   P/share/doc/fotacheck/{README.md,docs/}   P/share/man/man1/fotacheck{,-refclient}.1
# In the build tree, the programs find the same data through the marker file written below.
include(GNUInstallDirs)

set(FOTACHECK_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/fotacheck)

install(TARGETS fotacheck fotacheck-refclient RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY adapters/profiles DESTINATION ${FOTACHECK_INSTALL_DATADIR}/adapters)
install(DIRECTORY fixtures/pki fixtures/keys DESTINATION ${FOTACHECK_INSTALL_DATADIR}/fixtures)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)

# The build tree's marker: programs run from here take their data from the source tree and
# {suite_bin} from the reference client's build folder. Never installed.
file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/fotacheck-build-tree.txt CONTENT
"# Written by CMake: programs run from this build tree find their data here (suite/common/data_location.h).
source_dir=${PROJECT_SOURCE_DIR}
programs_dir=$<TARGET_FILE_DIR:fotacheck-refclient>
")

# Man pages, generated from each program's --help when it is built (cmake/ManPage.cmake).
set(man_pages)
foreach(page IN ITEMS
    "fotacheck|validate,report,bundle,verify|conformance and interop suite for the LwM2M Firmware Update object (/5)"
    "fotacheck-refclient||reference LwM2M client with a Firmware Update object, as fotacheck drives it")
  string(REPLACE "|" ";" page "${page}")
  list(GET page 0 program)
  list(GET page 1 subcommands)
  list(GET page 2 summary)
  set(out ${PROJECT_BINARY_DIR}/man/${program}.1)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${program}> -DNAME=${program} -DSUBCOMMANDS=${subcommands}
            -DSUMMARY=${summary} -DVERSION=${PROJECT_VERSION} -DDATADIR=${FOTACHECK_INSTALL_DATADIR}
            -DDOCDIR=${CMAKE_INSTALL_DOCDIR} -DOUT=${out} -P ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
    DEPENDS ${program} ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
    COMMENT "Generating the man page ${program}.1 from ${program} --help"
    VERBATIM)
  list(APPEND man_pages ${out})
endforeach()
add_custom_target(fotacheck-man ALL DEPENDS ${man_pages})
install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# `cpack -G DEB --config build/CPackConfig.cmake`: a .deb of the install above, under /usr. Its
# Depends are what dpkg-shlibdeps finds the binaries linked against (the Debian runtime
# packages: libcoap3, libmbedcrypto7, libyaml-cpp0.7, ...), so no list here can go stale.
set(CPACK_PACKAGE_NAME fotacheck)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "conformance and interop suite for the LwM2M Firmware Update object")
set(CPACK_PACKAGE_CONTACT "fotacheck maintainers <fotacheck@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The .deb's Description: the summary above, then this (CPack indents it).
set(CPACK_PACKAGE_DESCRIPTION
"fotacheck plays the reference LwM2M server and firmware repository, drives a device
through the Firmware Update (/5) cases and writes JUnit XML, JSON, Markdown and HTML
reports. The package holds the bundled reference client, its device profiles and the
suite's test PKI and keys (test material, not secrets).")
include(CPack)
