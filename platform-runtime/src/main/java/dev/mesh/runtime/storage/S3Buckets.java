package dev.mesh.runtime.storage;

import com.amazonaws.AmazonServiceException;
import com.amazonaws.SdkClientException;
import com.amazonaws.auth.AWSCredentialsProvider;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.auth.DefaultAWSCredentialsProviderChain;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import dev.mesh.error.ErrorCode;
import dev.mesh.error.MeshException;
import dev.mesh.error.Secrets;
import dev.mesh.runtime.spi.S3Credentials;
import dev.mesh.spec.model.S3Spec;
import java.util.Optional;

/**
 * Bucket-level operations S3A does not offer: whether a bucket exists (and the credentials may use it), and creating
 * it. Uses the AWS SDK that hadoop-aws brings. Failures become errors that name the bucket, the endpoint and the
 * environment variables holding the credentials, never their values.
 */
public final class S3Buckets {
    private final S3Spec s3;

    public S3Buckets(S3Spec s3) {
        this.s3 = s3;
    }

    /** Creates the bucket unless it exists; returns whether it created it. */
    public boolean ensure(String bucket, Optional<S3Credentials> credentials) {
        return withClient(bucket, credentials, client -> {
            if (client.doesBucketExistV2(bucket)) {
                requireAccess(client, bucket, credentials);
                return false;
            }
            client.createBucket(bucket);
            return true;
        });
    }

    /** Fails with a clear error unless the bucket exists and the credentials may list it. */
    public void requireExisting(String bucket, Optional<S3Credentials> credentials) {
        withClient(bucket, credentials, client -> {
            if (!client.doesBucketExistV2(bucket)) {
                throw new MeshException(ErrorCode.INFRASTRUCTURE, "bucket '" + bucket + "' does not exist at "
                        + endpoint() + "; create the zones first: mesh provision");
            }
            requireAccess(client, bucket, credentials);
            return null;
        });
    }

    /** Runs {@code work} with a client for these credentials, turning the SDK's failures into clear errors. */
    private <T> T withClient(String bucket, Optional<S3Credentials> credentials,
            java.util.function.Function<AmazonS3, T> work) {
        AmazonS3 client = client(credentials);
        try {
            return work.apply(client);
        } catch (AmazonServiceException e) {
            throw failure(bucket, credentials, e);
        } catch (SdkClientException e) {
            throw unreachable(e);
        } finally {
            client.shutdown();
        }
    }

    private static void requireAccess(AmazonS3 client, String bucket, Optional<S3Credentials> credentials) {
        // doesBucketExistV2 answers true on 403: listing one key proves the credentials are accepted
        client.listObjectsV2(new com.amazonaws.services.s3.model.ListObjectsV2Request()
                .withBucketName(bucket).withMaxKeys(1));
    }

    private MeshException failure(String bucket, Optional<S3Credentials> credentials, AmazonServiceException e) {
        String who = credentials.map(c -> "the credentials in " + c.source()).orElse("the default AWS credentials");
        if (e.getStatusCode() == 403) {
            return new MeshException(ErrorCode.INFRASTRUCTURE, "access to bucket '" + bucket + "' at " + endpoint()
                    + " was denied (" + e.getErrorCode() + "): check " + who);
        }
        return new MeshException(ErrorCode.INFRASTRUCTURE, Secrets.redact("bucket '" + bucket + "' at " + endpoint()
                + ": " + e.getErrorCode() + " (HTTP " + e.getStatusCode() + ")"));
    }

    private MeshException unreachable(SdkClientException e) {
        return new MeshException(ErrorCode.INFRASTRUCTURE, Secrets.redact("cannot reach the S3 store at "
                + endpoint() + ": " + e.getMessage()));
    }

    private String endpoint() {
        return s3.endpoint().orElse("AWS S3 (" + s3.region() + ")");
    }

    private AmazonS3 client(Optional<S3Credentials> credentials) {
        AWSCredentialsProvider provider = credentials
                .<AWSCredentialsProvider>map(c -> new AWSStaticCredentialsProvider(
                        new BasicAWSCredentials(c.accessKey(), c.secretKey())))
                .orElseGet(DefaultAWSCredentialsProviderChain::getInstance);
        AmazonS3ClientBuilder builder = AmazonS3ClientBuilder.standard()
                .withCredentials(provider)
                .withPathStyleAccessEnabled(s3.pathStyleAccess())
                .withClientConfiguration(new com.amazonaws.ClientConfiguration()
                        .withMaxErrorRetry(1).withConnectionTimeout(5_000).withSocketTimeout(30_000));
        if (s3.endpoint().isPresent()) {
            builder.withEndpointConfiguration(new EndpointConfiguration(s3.endpoint().get(), s3.region()));
        } else {
            builder.withRegion(s3.region());
        }
        return builder.build();
    }
}
