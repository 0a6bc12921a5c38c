// The Catch2 runner for keel_unit_tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
