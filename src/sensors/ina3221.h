/* INA3221 helpers shared by the jetson and hwmon sources (ina3221.c). */
#ifndef ECO_SENSORS_INA3221_H
#define ECO_SENSORS_INA3221_H

#include <stddef.h>

#include "sensors/sensor.h"

/* Kind from a rail's name: an input rail (VDD_IN, POM_5V_IN, *_IN) is the
 * platform; CPU and GPU together (VDD_CPU_GPU_CV) or GPU and SOC (AGX Orin's
 * VDD_GPU_SOC) -> soc; GPU -> gpu; CPU (also VDD_CPU_CV) -> cpu-package;
 * SOC -> soc; DDR/VDDRQ/VDDQ -> dram; anything else -> other. */
enum eco_kind eco_rail_kind(const char *name);
/* The device tree's model ("" when none). */
void eco_board_model(char *buf, size_t len);
/* 1 on an NVIDIA Jetson: compatible nvidia,tegra*, or a model naming a Jetson
 * (or starting "NVIDIA ": NVIDIA's device-tree boards are its Jetsons). */
int eco_is_jetson(void);

/* The board's input rail (the first platform domain) holds every other
 * top-level domain of s: they become its children. Its index, or -1. */
int eco_nest_under_input_rail(struct eco_sensor *s);

#endif
