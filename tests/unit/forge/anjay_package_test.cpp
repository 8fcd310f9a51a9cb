// The Anjay demo package: exact bytes of every field, and each Anjay variant of the forge.
#include "suite/forge/anjay_package.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "suite/forge/crc32.h"
#include "suite/forge/forge.h"

namespace fc::forge {
namespace {

// "ANJAY_FW", version 2, force-error 0, CRC-32("123456789") = 0xCBF43926, "1.0", payload.
constexpr const char* kValidHex =
    "414e4a41595f4657"
    "0002"
    "0000"
    "cbf43926"
    "03"
    "312e30"
    "313233343536373839";

PackageSpec anjay(Variant variant) {
  PackageSpec spec;
  spec.format = Format::Anjay;
  spec.variant = variant;
  spec.version = "1.0";
  spec.image = to_bytes("123456789");
  return spec;
}

TEST(AnjayPackage, EncodeWritesHandComputedBytes) {
  anjay::Header header;
  EXPECT_EQ(to_hex(anjay::encode(header, to_bytes("123456789"))), kValidHex);
}

TEST(AnjayPackage, EncodeKeepsAGivenCrcAndForceError) {
  anjay::Header header;
  header.crc = 0x01020304;
  header.force_error = 0xABCD;
  header.version = "10.20.30";
  EXPECT_EQ(to_hex(anjay::encode(header, to_bytes("x"))),
            "414e4a41595f4657"
            "0002"
            "abcd"
            "01020304"
            "08"
            "31302e32302e3330"
            "78");
}

TEST(AnjayPackage, EncodeRefusesVersionsLongerThanAByteCounts) {
  anjay::Header header;
  header.version = std::string(256, '1');
  EXPECT_THROW(anjay::encode(header, {}), std::invalid_argument);
}

TEST(AnjayForge, Valid) {
  EXPECT_EQ(to_hex(forge(anjay(Variant::Valid), ForgeKeys::none())), kValidHex);
}

TEST(AnjayForge, WrongCrcStoresTheInvertedCrc) {
  EXPECT_EQ(to_hex(forge(anjay(Variant::WrongCrc), ForgeKeys::none())),
            "414e4a41595f4657"
            "0002"
            "0000"
            "340bc6d9"
            "03"
            "312e30"
            "313233343536373839");
}

TEST(AnjayForge, WrongMagic) {
  EXPECT_EQ(to_hex(forge(anjay(Variant::WrongMagic), ForgeKeys::none())),
            "414e4a41595f4658"
            "0002"
            "0000"
            "cbf43926"
            "03"
            "312e30"
            "313233343536373839");
}

TEST(AnjayForge, WrongHeaderVersion) {
  EXPECT_EQ(to_hex(forge(anjay(Variant::WrongFormatVersion), ForgeKeys::none())),
            "414e4a41595f4657"
            "0003"
            "0000"
            "cbf43926"
            "03"
            "312e30"
            "313233343536373839");
}

TEST(AnjayForge, AnyForceErrorCode) {
  for (const std::uint16_t code :
       {std::uint16_t{1}, std::uint16_t{7}, std::uint16_t{8}, std::uint16_t{0x1234}}) {
    PackageSpec spec = anjay(Variant::ForceError);
    spec.force_error = code;
    const Bytes package = forge(spec, ForgeKeys::none());
    ASSERT_EQ(package.size(), 29u);
    EXPECT_EQ(package[10], code >> 8);
    EXPECT_EQ(package[11], code & 0xFF);
    EXPECT_EQ(to_hex(ByteView(package).subspan(12)),
              "cbf43926"
              "03"
              "312e30"
              "313233343536373839");
  }
}

TEST(AnjayForge, BitFlipHitsThePayloadAndKeepsTheOriginalCrc) {
  PackageSpec spec = anjay(Variant::BitFlip);
  spec.offset = 2;
  spec.xor_mask = 0x80;
  EXPECT_EQ(to_hex(forge(spec, ForgeKeys::none())),
            "414e4a41595f4657"
            "0002"
            "0000"
            "cbf43926"
            "03"
            "312e30"
            "3132b3343536373839");
}

TEST(AnjayForge, TruncatedCutsTheEnd) {
  PackageSpec spec = anjay(Variant::Truncated);
  spec.cut = 4;
  EXPECT_EQ(to_hex(forge(spec, ForgeKeys::none())),
            "414e4a41595f4657"
            "0002"
            "0000"
            "cbf43926"
            "03"
            "312e30"
            "3132333435");
}

TEST(AnjayForge, OversizedCarriesFlashSizePlusOneBytesWithTheirCrc) {
  PackageSpec spec;
  spec.format = Format::Anjay;
  spec.variant = Variant::Oversized;
  spec.version = "1.0";
  spec.flash_size = 100;
  const Bytes package = forge(spec, ForgeKeys::none());
  ASSERT_EQ(package.size(), 17u + 3u + 101u);
  EXPECT_EQ(Bytes(package.begin() + 20, package.end()), image_of(spec));
  const std::uint32_t crc = crc32(image_of(spec));
  EXPECT_EQ(Bytes(package.begin() + 12, package.begin() + 16),
            (Bytes{static_cast<std::uint8_t>(crc >> 24), static_cast<std::uint8_t>(crc >> 16),
                   static_cast<std::uint8_t>(crc >> 8), static_cast<std::uint8_t>(crc)}));
}

TEST(AnjayForge, VersionLongerThan24IsRefused) {
  PackageSpec spec = anjay(Variant::Valid);
  spec.version = std::string(25, '1');
  try {
    forge(spec, ForgeKeys::none());
    FAIL() << "a 25-byte version was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()), "anjay valid: version string must be 1..24 bytes, got 25");
  }
}

// The re-exec payload, run for real: a script in a temporary folder that replaces itself with
// /bin/echo (through a symlink whose folder name holds a quote) must print its arguments and
// delete itself, as the demo's execv() of a downloaded image would see it.
class ReexecPayload : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "fotacheck-reexec-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);  // only the folder this test made
  }
  // Runs `script` with `arguments` through the shell and returns what it printed.
  static std::string run(const std::filesystem::path& script, const std::string& arguments) {
    const std::string command = "'" + script.string() + "' " + arguments;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return "<popen failed>";
    std::string output;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    ::pclose(pipe);
    return output;
  }
  std::filesystem::path dir_;
};

TEST_F(ReexecPayload, RestartsTheProgramWithTheSameArgumentsAndRemovesItself) {
  const auto quoted_dir = dir_ / "it's here";
  std::filesystem::create_directory(quoted_dir);
  std::filesystem::create_symlink("/bin/echo", quoted_dir / "echo");
  const Bytes payload = anjay::reexec_payload(quoted_dir / "echo", 4096, 7);
  ASSERT_EQ(payload.size(), 4096u);

  const auto script = dir_ / "anjay-fw-test";
  {
    std::ofstream out(script, std::ios::binary);
    out.write(reinterpret_cast<const char*>(payload.data()), static_cast<std::streamsize>(payload.size()));
  }
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  EXPECT_EQ(run(script, "--endpoint 'name with space' --delayed-upgrade-result 1"),
            "--endpoint name with space --delayed-upgrade-result 1\n");
  EXPECT_FALSE(std::filesystem::exists(script)) << "the installed image should delete its downloaded file";
}

TEST(AnjayReexecPayload, IsPaddedWithCommentLinesThatDifferPerSeed) {
  const Bytes one = anjay::reexec_payload("/opt/anjay/demo", 1000, 1);
  const Bytes again = anjay::reexec_payload("/opt/anjay/demo", 1000, 1);
  const Bytes other = anjay::reexec_payload("/opt/anjay/demo", 1000, 2);
  ASSERT_EQ(one.size(), 1000u);
  EXPECT_EQ(one, again);
  EXPECT_NE(one, other);
  const std::string text(one.begin(), one.end());
  EXPECT_EQ(text.rfind("#!/bin/sh\n", 0), 0u);
  const auto exec_line = text.find("exec '/opt/anjay/demo' \"$@\"\n");
  ASSERT_NE(exec_line, std::string::npos);
  // After the exec line only comment lines follow, each ending in a newline.
  const auto padding = text.substr(text.find('\n', exec_line) + 1);
  for (std::size_t at = 0; at < padding.size(); at = padding.find('\n', at) + 1) {
    EXPECT_EQ(padding[at], '#') << "padding line at " << at;
  }
  EXPECT_EQ(text.back(), '\n');
}

TEST(AnjayReexecPayload, NeverShorterThanTheScript) {
  const Bytes payload = anjay::reexec_payload("/opt/anjay/demo", 1, 1);
  const std::string text(payload.begin(), payload.end());
  EXPECT_GT(payload.size(), 1u);
  EXPECT_TRUE(text.ends_with("exec '/opt/anjay/demo' \"$@\"\n")) << text;
}

TEST(AnjayReexecPayload, RefusesARelativeProgram) {
  try {
    anjay::reexec_payload("demo", 100, 1);
    FAIL() << "a relative program was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()), "the Anjay re-exec payload needs an absolute program path, got 'demo'");
  }
}

TEST(AnjayForge, ValidWithAReexecProgramCarriesTheScriptAndItsCrc) {
  PackageSpec spec;
  spec.format = Format::Anjay;
  spec.version = "1.0";
  spec.image_size = 2048;
  spec.seed = 3;
  spec.reexec_program = "/opt/anjay/demo";
  const Bytes script = anjay::reexec_payload("/opt/anjay/demo", 2048, 3);
  EXPECT_EQ(image_of(spec), script);
  anjay::Header header;
  EXPECT_EQ(forge(spec, ForgeKeys::none()), anjay::encode(header, script));
  EXPECT_EQ(describe(spec),
            "anjay valid: version \"1.0\", script re-executing /opt/anjay/demo, padded to 2048 bytes (seed 3)");
}

}  // namespace
}  // namespace fc::forge
