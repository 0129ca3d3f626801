import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "dist/**", "node_modules/**", "lib/generated/**", ".grantry/**", ".tmp/**", "next-env.d.ts", "bench/results/**"],
  },
];

export default config;
