# syntax=docker/dockerfile:1
FROM node:22-slim

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the manifests change.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY server.js .

EXPOSE 3000
USER node
CMD ["npm", "start"]
