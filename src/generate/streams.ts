/** Stream keys of the seeded generator: each part of the world draws from its own stream. */
export const STREAM = {
  catalog: 1,
  regions: 2,
  population: 3,
  user: 4,
  listening: 5,
  farms: 6,
  bot: 7,
  corrupt: 8,
} as const;
