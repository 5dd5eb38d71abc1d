FROM python:3.12-slim
WORKDIR /app
# Every edit to the source re-runs the install below.
COPY src/ .
RUN pip install --no-cache-dir -r requirements.txt
EXPOSE 8088
CMD ["python", "server.py"]
