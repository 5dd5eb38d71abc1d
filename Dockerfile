# syntax=docker/dockerfile:1
# layerlint as a container image, a static binary on Alpine (a shell, for CI jobs that run
# scripts in it):
#   docker build -t layerlint .
#   docker run --rm -i layerlint check - < Dockerfile
#   docker run --rm -v "$PWD:/src" layerlint check .
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
# The dependencies first, built against empty sources: an edit of src/ does not rebuild them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && touch src/lib.rs && echo 'fn main() {}' > src/main.rs \
    && cargo build --release --locked \
    && rm -rf src
COPY rules/ rules/
COPY src/ src/
RUN touch src/lib.rs src/main.rs && cargo build --release --locked \
    && strip target/release/layerlint

FROM alpine:3.22
COPY --from=build /build/target/release/layerlint /usr/local/bin/layerlint
WORKDIR /src
USER nobody
ENTRYPOINT ["layerlint"]
CMD ["check", "."]
