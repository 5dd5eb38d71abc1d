# syntax=docker/dockerfile:1
FROM golang:1.23 AS build
WORKDIR /src

# Dependencies first: this layer is rebuilt only when go.mod changes.
COPY go.mod ./
RUN go mod download

COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
USER nonroot
ENTRYPOINT ["/server"]
