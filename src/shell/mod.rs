//! RUN bodies turned into simple commands (argv words with spans) and recognisers that say
//! what a command is (pip install, npm ci, apt-get install, ...).
