# The `llm-cost demo` workload for docker-compose.yml: the fake provider (OpenAI-, Anthropic- and
# Gemini-shaped) driven through the real SDK clients and this library, serving /metrics on :9465.
# Build context: the repository root (`docker compose build demo`).

FROM node:22.12.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies are kept on purpose: tsup builds dist/, and the demo drives the real OpenAI,
# Anthropic and Google GenAI clients, which are dev dependencies of the library.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsup.config.ts ./
COPY src ./src
RUN npx tsup

FROM node:22.12.0-bookworm-slim
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 9465
# 0.0.0.0 inside the container only; docker-compose.yml publishes the port on 127.0.0.1.
CMD ["node", "dist/cli/bin.js", "demo", "--no-ui", "--host", "0.0.0.0", "--port", "9465"]
