"""Airflow DAG for the example mesh: one SparkSubmitOperator per data product, wired like `mesh plan` prints them.

Each task submits the shaded jobs jar with dev.mesh.jobs.MeshSubmitMain, which takes the arguments of `mesh run`.
The job exits 0 when the product published (or was already up to date), 1 on infrastructure failures, 2 on invalid
input (spec, policy, SQL), 3 when the quality gate blocked publication; any non-zero exit fails the task, and Airflow
then skips the products downstream, as `mesh run --all` does. Airflow retries only help for exit 1: set retries
accordingly. Re-running a task is safe: a product already published from the same inputs is not published twice.

Requires apache-airflow-providers-apache-spark and a `spark_default` connection to the cluster's master.
Not run in this repository's CI (no Airflow there); the spark-submit command line it produces is the one the cluster
test (jobs/src/test/java/dev/mesh/jobs/ClusterIT.java) runs.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

MESH_HOME = "/opt/mesh"
JAR = f"{MESH_HOME}/mesh-jobs-spark.jar"
PLATFORM = f"{MESH_HOME}/examples/platform.yaml"
# the JVM flags Spark 3.5 needs on Java 17, as the build writes them (jobs/target/classes/mesh/java17-flags.txt)
with open(f"{MESH_HOME}/java17-flags.txt") as flags:
    JAVA17_FLAGS = flags.read().strip()

# product -> the products it reads (as `bin/mesh plan` prints them)
PRODUCTS = {
    "customer.customers": [],
    "customer.nations": [],
    "sales.lineitems": [],
    "sales.orders": [],
    "finance.customer_balances": ["customer.customers", "customer.nations", "sales.orders"],
    "finance.revenue_by_nation": ["sales.orders", "sales.lineitems", "customer.customers", "customer.nations"],
}

with DAG(
    dag_id="example_mesh",
    start_date=datetime(2026, 1, 1),
    schedule="0 2 * * *",
    catchup=False,
    max_active_runs=1,  # Delta on object storage: one writer per table at a time
    default_args={"retries": 1, "retry_delay": timedelta(minutes=5)},
) as dag:
    tasks = {
        product: SparkSubmitOperator(
            task_id=product.replace(".", "__"),
            conn_id="spark_default",
            application=JAR,
            java_class="dev.mesh.jobs.MeshSubmitMain",
            # the scheduler's run id keeps a retry's run id, so the ledger shows one run per attempt chain
            application_args=["--platform", PLATFORM, product, "--run-id",
                              "{{ run_id }}-" + product, "--output", "json"],
            conf={"spark.driver.extraJavaOptions": JAVA17_FLAGS,
                  "spark.executor.extraJavaOptions": JAVA17_FLAGS},
        )
        for product in PRODUCTS
    }
    for product, inputs in PRODUCTS.items():
        for upstream in inputs:
            tasks[upstream] >> tasks[product]
