"""Operating the installation: doctor, evaluation and benchmark (they measure the assembled app)."""
