// time::Window: the one half-open convention of every command (docs/rfcs/0001, "window").
#include "skyfence/time/window.h"

#include <gtest/gtest.h>

#include "skyfence/core/error.h"
#include "skyfence/time/scales.h"

namespace skyfence::time {
namespace {

const Instant kT0 = parse_iso8601("2026-04-27T00:00:00Z");

TEST(TimeWindow, ADayAtOneMinuteHas1440InstantsTheLastBeforeStop) {
  const Window w = Window::make(kT0, kT0 + Duration::hours(24.0), Duration::seconds(60.0));
  ASSERT_EQ(w.size(), 1440U);
  EXPECT_EQ(w.at(0), kT0);
  EXPECT_EQ(format_iso8601(w.at(1439), 0), "2026-04-27T23:59:00Z");
  EXPECT_FALSE(w.contains(w.stop()));
  EXPECT_TRUE(w.contains(w.start()));
  EXPECT_EQ(w.instants().size(), 1440U);
}

TEST(TimeWindow, ALengthOffTheStepGridEndsWithAShorterInterval) {
  const Window w = Window::make(kT0, kT0 + Duration::minutes(10.0), Duration::minutes(3.0));
  ASSERT_EQ(w.size(), 4U);
  EXPECT_EQ(w.at(3), kT0 + Duration::minutes(9.0));
  EXPECT_LT(w.at(3), w.stop());
}

TEST(TimeWindow, OneNanosecondOverAWholeStepAddsAnInstant) {
  const Duration step = Duration::seconds(60.0);
  EXPECT_EQ(Window::make(kT0, kT0 + step * 5, step).size(), 5U);
  EXPECT_EQ(Window::make(kT0, kT0 + step * 5 + Duration::nanoseconds(1), step).size(), 6U);
  EXPECT_EQ(Window::make(kT0, kT0 + Duration::nanoseconds(1), step).size(), 1U);
}

TEST(TimeWindow, ZeroLengthNegativeLengthAndNonPositiveStepAreLocatedErrors) {
  const Duration step = Duration::seconds(60.0);
  try {
    (void)Window::make(kT0, kT0, step);
    FAIL() << "a zero-length window was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "--stop");
  }
  EXPECT_THROW((void)Window::make(kT0, kT0 - step, step), InputError);
  try {
    (void)Window::make(kT0, kT0 + step, Duration::seconds(0.0), WindowNames{"start", "stop", "step"});
    FAIL() << "a zero step was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "step");
  }
  EXPECT_THROW((void)Window::make(kT0, kT0 + step, -step), InputError);
}

TEST(TimeWindow, TooManyInstantsIsAnErrorAtTheStep) {
  try {
    (void)Window::make(kT0, kT0 + Duration::days(365.0), Duration::seconds(1.0));
    FAIL() << "a year at 1 s was accepted under the default limit";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "--step");
  }
  EXPECT_EQ(Window::make(kT0, kT0 + Duration::seconds(10.0), Duration::seconds(1.0), {}, 10).size(), 10U);
  EXPECT_THROW((void)Window::make(kT0, kT0 + Duration::seconds(11.0), Duration::seconds(1.0), {}, 10),
               InputError);
}

TEST(TimeWindow, OfCountSpansCountSteps) {
  const Window w = Window::of_count(kT0, Duration::seconds(30.0), 3);
  EXPECT_EQ(w.size(), 3U);
  EXPECT_EQ(w.stop(), kT0 + Duration::seconds(90.0));
  EXPECT_THROW((void)Window::of_count(kT0, Duration::seconds(30.0), 0), InputError);
}

TEST(TimeWindow, AContinuousWindowIsOneStepAndRefusesZeroLength) {
  const Window w = Window::continuous(kT0, kT0 + Duration::hours(2.0));
  EXPECT_EQ(w.size(), 1U);
  EXPECT_EQ(w.step(), Duration::hours(2.0));
  EXPECT_THROW((void)Window::continuous(kT0, kT0), InputError);
}

TEST(TimeWindow, DefaultIsEmpty) {
  EXPECT_TRUE(Window().empty());
  EXPECT_TRUE(Window().instants().empty());
}

}  // namespace
}  // namespace skyfence::time
