# Finds every third-party library as Debian ships it and exposes each as one imported target.
find_package(PkgConfig REQUIRED)

pkg_check_modules(LIBCOAP REQUIRED IMPORTED_TARGET libcoap-3-${FOTACHECK_COAP_TLS})
add_library(fc::coap ALIAS PkgConfig::LIBCOAP)

pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_library(fc::httplib ALIAS PkgConfig::HTTPLIB)

pkg_check_modules(LIBCBOR REQUIRED IMPORTED_TARGET libcbor)
add_library(fc::cbor ALIAS PkgConfig::LIBCBOR)

# Mbed TLS 2.28 ships neither pkg-config nor CMake files.
find_path(MBEDTLS_INCLUDE_DIR mbedtls/sha256.h REQUIRED)
find_library(MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)
find_library(MBEDX509_LIBRARY mbedx509 REQUIRED)
find_library(MBEDTLS_LIBRARY mbedtls REQUIRED)
add_library(fc_mbedtls INTERFACE)
target_include_directories(fc_mbedtls SYSTEM INTERFACE ${MBEDTLS_INCLUDE_DIR})
target_link_libraries(fc_mbedtls INTERFACE ${MBEDTLS_LIBRARY} ${MBEDX509_LIBRARY} ${MBEDCRYPTO_LIBRARY})
add_library(fc::mbedtls ALIAS fc_mbedtls)

find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(pugixml REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(Threads REQUIRED)
find_package(GTest REQUIRED)
if(FOTACHECK_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
