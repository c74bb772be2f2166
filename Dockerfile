# The example app of the stack (docker-compose.yml), instrumented only by `--import ./register`.
#   docker build -t socketcomm-monitoring-example .
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.cjs.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
RUN npm run build

FROM node:20.19-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY register ./register
COPY examples ./examples
USER node
# 3000: the app; 9464: the monitoring server (/metrics, /health/*).
EXPOSE 3000 9464
CMD ["node", "--import", "./register", "examples/app.js"]
