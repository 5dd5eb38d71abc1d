FROM python:3.12-slim
WORKDIR /app
RUN pip install --no-cache-dir -r requirements.txt
COPY src/server.py .
EXPOSE 8088
CMD ["python", "server.py"]
