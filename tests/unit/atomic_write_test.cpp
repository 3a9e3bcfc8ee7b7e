// atomic_write_test.cpp - driver/atomic_write.h against the attacks and failures of issue 10,
// defect 4: a link planted under the old predictable temporary name, a file size limit, a
// signal during the write, and every failure path leaving no temporary behind.
#include "driver/atomic_write.h"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace lattice::driver {
namespace {
namespace fs = std::filesystem;

class AtomicWrite : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::path(::testing::TempDir()) /
          ("lattice_atomic_write_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  static std::string read(const fs::path &path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void write(const fs::path &path, const std::string &text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  /// Names in `dir` other than `keep`: leftovers of a write.
  std::vector<std::string> others(std::initializer_list<std::string> keep) const {
    std::vector<std::string> out;
    for (const fs::directory_entry &e : fs::directory_iterator(dir)) {
      std::string name = e.path().filename().string();
      if (std::find(keep.begin(), keep.end(), name) == keep.end())
        out.push_back(name);
    }
    return out;
  }

  fs::path dir;
};

TEST_F(AtomicWrite, WritesAndReplaces) {
  std::string error;
  ASSERT_TRUE(writeFileAtomically((dir / "out.ltab").string(), "first", error)) << error;
  EXPECT_EQ(read(dir / "out.ltab"), "first");
  ASSERT_TRUE(writeFileAtomically((dir / "out.ltab").string(), "second", error)) << error;
  EXPECT_EQ(read(dir / "out.ltab"), "second");
  EXPECT_EQ(others({"out.ltab"}), std::vector<std::string>{});
}

// The old temporary was OUT.<pid>.tmp, opened without O_EXCL|O_NOFOLLOW: a link planted there
// made the write go to the link's target, and the rename left OUT a link to it.
TEST_F(AtomicWrite, NeverWritesThroughAPlantedLink) {
  const fs::path out = dir / "out.ltab";
  write(dir / "victim", "precious");
  fs::create_symlink(dir / "victim", dir / ("out.ltab." + std::to_string(::getpid()) + ".tmp"));
  fs::create_symlink(dir / "victim", dir / "out.ltab.tmp");
  std::string error;
  ASSERT_TRUE(writeFileAtomically(out.string(), "table bytes", error)) << error;
  EXPECT_EQ(read(dir / "victim"), "precious");
  EXPECT_FALSE(fs::is_symlink(out));
  EXPECT_EQ(read(out), "table bytes");
}

TEST_F(AtomicWrite, KeepsPermissionsAndFollowsALinkAtTheTarget) {
  const fs::path out = dir / "out.ltab";
  write(out, "old");
  fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  std::string error;
  ASSERT_TRUE(writeFileAtomically(out.string(), "new", error)) << error;
  EXPECT_EQ(fs::status(out).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  // A new file gets what open(2) with 0666 and the umask gives, not mkstemp's 0600.
  const mode_t mask = ::umask(022);
  ASSERT_TRUE(writeFileAtomically((dir / "fresh").string(), "x", error)) << error;
  ::umask(mask);
  EXPECT_EQ(fs::status(dir / "fresh").permissions() & fs::perms::all, fs::perms(0644));
  // A link the user made at the target is followed: its target is replaced.
  write(dir / "real", "old");
  fs::create_symlink(dir / "real", dir / "link");
  ASSERT_TRUE(writeFileAtomically((dir / "link").string(), "via link", error)) << error;
  EXPECT_TRUE(fs::is_symlink(dir / "link"));
  EXPECT_EQ(read(dir / "real"), "via link");
}

TEST_F(AtomicWrite, FailuresNameTheReasonAndLeaveNothing) {
  std::string error;
  EXPECT_FALSE(writeFileAtomically((dir / "no" / "such" / "out.ltab").string(), "x", error));
  EXPECT_NE(error.find("No such file or directory"), std::string::npos) << error;
  fs::create_directory(dir / "folder");
  EXPECT_FALSE(writeFileAtomically((dir / "folder").string(), "x", error));
  EXPECT_NE(error.find("Is a directory"), std::string::npos) << error;
  EXPECT_EQ(others({"folder"}), std::vector<std::string>{});
}

// A file size limit used to kill the process with SIGXFSZ mid-write, leaving the temporary.
TEST_F(AtomicWrite, FileSizeLimitIsAnErrorNotDeath) {
  const std::string out = (dir / "out.ltab").string();
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    struct rlimit limit = {1000, 1000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    std::string error;
    bool ok = writeFileAtomically(out, std::string(100000, 'x'), error);
    ::_exit(ok ? 0 : error.find("File too large") != std::string::npos ? 3 : 4);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_EQ(others({}), std::vector<std::string>{});
}

// SIGTERM while the temporary is being written removes it before the process dies.
TEST_F(AtomicWrite, SignalDuringTheWriteRemovesTheTemporary) {
  const std::string out = (dir / "out.ltab").string();
  const std::string bytes(size_t(256) << 20, 'x'); // long enough to be caught mid-write
  for (int attempt = 0; attempt < 3; ++attempt) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      std::string error;
      ::_exit(writeFileAtomically(out, bytes, error) ? 0 : 1);
    }
    // Wait for the temporary to appear, then stop the writer.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (others({}).empty() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    ::kill(child, SIGTERM);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    if (WIFEXITED(status)) { // finished before the signal came: try again
      fs::remove(out);
      continue;
    }
    EXPECT_EQ(WTERMSIG(status), SIGTERM);
    EXPECT_EQ(others({}), std::vector<std::string>{});
    return;
  }
  GTEST_SKIP() << "the write always finished before SIGTERM arrived";
}

} // namespace
} // namespace lattice::driver
