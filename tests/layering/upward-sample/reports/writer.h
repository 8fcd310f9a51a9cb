#pragma once
#include "fixtures/fota_case.h"
